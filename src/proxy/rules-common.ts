// The rules of a service port that every era writes alike, whatever its chain layout: the
// cluster-IP masquerade rule, the health-check NodePort ACCEPT, and the loadBalancerSourceRanges
// test for the node's own address.
import { quoted, type RuleOwner, type Words } from './line-writer.js';
import type { ServicePortInfo } from './model.js';
import { ownerOf, type RenderContext } from './render-context.js';

/**
 * Cluster-IP traffic not from a pod (all of it with --masquerade-all) may be answered from
 * another node: mark it for masquerade. Without a local-traffic detector nothing is marked.
 * `clusterArgs` are the cluster-IP capture's words (comment, protocol, -d, --dport).
 */
export function writeClusterIPMasquerade(ctx: RenderContext, chain: string, owner: RuleOwner, clusterArgs: readonly Words[]): void {
  if (ctx.config.masqueradeAll) ctx.nat.append(chain, owner, clusterArgs, '-j', 'KUBE-MARK-MASQ');
  else if (ctx.detector.implemented) ctx.nat.append(chain, owner, clusterArgs, ctx.detector.ifNotLocal, '-j', 'KUBE-MARK-MASQ');
}

/** filter KUBE-NODEPORTS accepts the health-check port (1.21+), local endpoints or not: the LB's check decides. */
export function writeHealthCheckRule(ctx: RenderContext, sp: ServicePortInfo): void {
  if (!ctx.sw.healthCheckRules || sp.healthCheckNodePort === 0) return;
  ctx.filter.append('KUBE-NODEPORTS', ownerOf(sp), '-m', 'comment', '--comment', quoted(`${sp.nameString} health check node port`),
    '-m', 'tcp', '-p', 'tcp', '--dport', String(sp.healthCheckNodePort), '-j', 'ACCEPT');
}

/** The node's own address is within loadBalancerSourceRanges: its traffic to the LB loops back with the VIP as source. */
export function nodeInSourceRanges(ctx: RenderContext, sp: ServicePortInfo): boolean {
  const nodeIP = ctx.nodeIP;
  return nodeIP !== undefined && sp.sourceRanges.some((range) => range.contains(nodeIP));
}
