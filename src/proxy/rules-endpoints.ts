// The endpoint rules of a service port: the SVC/SVL/XLB chain's session-affinity and random
// balancing rules (writeServiceToEndpointRules) and each endpoint's KUBE-SEP chain (hairpin
// masquerade, then DNAT).
import { quoted } from './line-writer.js';
import type { EndpointInfo, ServicePortInfo } from './model.js';
import { addr, ownerOf, serviceComment, type RenderContext } from './render-context.js';

/** The comment on a rule that jumps to an endpoint, per profile (see endpointComments). */
export function endpointJumpComment(ctx: RenderContext, sp: ServicePortInfo, ep: EndpointInfo): string[] {
  switch (ctx.sw.endpointComments) {
    case 'none':
      return []; // 1.12-1.17: appendServiceCommentLocked's result was discarded
    case 'name':
      return serviceComment(ctx, sp.nameString);
    case 'arrow':
      return serviceComment(ctx, quoted(`${sp.nameString} -> ${ep.endpoint}`));
  }
}

/** The comment on an endpoint's own rules. */
function endpointChainComment(ctx: RenderContext, sp: ServicePortInfo): string[] {
  return ctx.sw.endpointComments === 'none' ? [] : serviceComment(ctx, sp.nameString);
}

export function declareEndpointChain(ctx: RenderContext, sp: ServicePortInfo, ep: EndpointInfo): void {
  ctx.nat.declare(ep.chain, ownerOf(sp, ep.endpoint), 'endpoint');
}

/** The two rules of a KUBE-SEP chain. */
export function writeEndpointChainRules(ctx: RenderContext, sp: ServicePortInfo, ep: EndpointInfo): void {
  const owner = ownerOf(sp, ep.endpoint);
  const comment = endpointChainComment(ctx, sp);
  // Traffic from the endpoint to its own service comes back to it: masquerade so replies return.
  ctx.nat.append(ep.chain, owner, comment, '-s', addr(ctx, ep.ip), '-j', 'KUBE-MARK-MASQ');
  const affinity = sp.affinitySeconds !== undefined ? ['-m', 'recent', '--name', ep.chain, '--set'] : [];
  ctx.nat.append(ep.chain, owner, comment, affinity, '-m', sp.protocol, '-p', sp.protocol, '-j', 'DNAT', '--to-destination', ep.endpoint);
}

/** Session-affinity rules: a client seen recently goes back to the same endpoint. */
export function writeAffinityRules(ctx: RenderContext, sp: ServicePortInfo, chain: string, endpoints: readonly EndpointInfo[],
  comment: (ep: EndpointInfo) => string[] = (ep) => endpointJumpComment(ctx, sp, ep)): void {
  if (sp.affinitySeconds === undefined) return;
  for (const ep of endpoints) {
    ctx.nat.append(chain, ownerOf(sp, ep.endpoint), comment(ep), '-m', 'recent', '--name', ep.chain,
      '--rcheck', '--seconds', String(sp.affinitySeconds), '--reap', '-j', ep.chain);
  }
}

/** The random balancing rule to endpoint i of n: probability 1/(n-i), the last one unconditional. */
export function writeBalancingRule(ctx: RenderContext, sp: ServicePortInfo, chain: string, ep: EndpointInfo, i: number, n: number,
  comment: string[] = endpointJumpComment(ctx, sp, ep)): void {
  const statistic = i < n - 1 ? ['-m', 'statistic', '--mode', 'random', '--probability', ctx.probability(n - i)] : [];
  ctx.nat.append(chain, ownerOf(sp, ep.endpoint), comment, statistic, '-j', ep.chain);
}

/** writeServiceToEndpointRules: affinity rules, then balancing rules. */
export function writeServiceToEndpointRules(ctx: RenderContext, sp: ServicePortInfo, chain: string, endpoints: readonly EndpointInfo[]): void {
  writeAffinityRules(ctx, sp, chain, endpoints);
  endpoints.forEach((ep, i) => writeBalancingRule(ctx, sp, chain, ep, i, endpoints.length));
}

