// One service port's rules for kube-proxy 1.24 and later: every external destination (NodePort,
// externalIP, load-balancer IP) jumps to KUBE-EXT, which picks the cluster (KUBE-SVC) or local
// (KUBE-SVL) policy chain. 1.24 still ends KUBE-FW and an empty KUBE-SVL in KUBE-MARK-DROP;
// from 1.25 drops are filter rules (KUBE-PROXY-FIREWALL, "has no local endpoints").
// Read from: kubernetes/kubernetes proxier.go ~1.24 (index id 383318076) and ~1.33
// (index id 240171990); the 1.25-1.30 deltas are profile switches.
import { quoted } from './line-writer.js';
import type { CategorizedEndpoints, ServicePortInfo } from './model.js';
import { ownerOf, type RenderContext } from './render-context.js';
import { nodeInSourceRanges, writeClusterIPMasquerade, writeHealthCheckRule } from './rules-common.js';
import { declareEndpointChain, writeEndpointChainRules, writeServiceToEndpointRules } from './rules-endpoints.js';
import { externallyAccessible, policyChainsUsed } from './service-ports.js';

interface Plan {
  usesCluster: boolean;
  usesLocal: boolean;
  internalChain: string;
  externalPolicyChain: string;
}

function plan(sp: ServicePortInfo): Plan {
  return {
    ...policyChainsUsed(sp),
    internalChain: sp.internalPolicyLocal ? sp.chains.svl : sp.chains.svc,
    externalPolicyChain: sp.externalPolicyLocal ? sp.chains.svl : sp.chains.svc,
  };
}

/** KUBE-EXT: masquerade, or (Local policy) short-circuit pod and host traffic, then the policy chain. */
function writeExternalChain(ctx: RenderContext, sp: ServicePortInfo, p: Plan, jumpToPolicy: boolean): void {
  const { nat, detector } = ctx;
  const owner = ownerOf(sp);
  const ext = sp.chains.ext;
  nat.declare(ext, owner, 'external');
  if (!sp.externalPolicyLocal) {
    // Non-local endpoints may be on another node: masquerade.
    nat.append(ext, owner, '-m', 'comment', '--comment', quoted(`masquerade traffic for ${sp.nameString} external destinations`), '-j', 'KUBE-MARK-MASQ');
  } else {
    // Pod traffic to an external address acts as if it went out to the LB and came back in.
    if (detector.implemented) {
      nat.append(ext, owner, '-m', 'comment', '--comment', quoted(`pod traffic for ${sp.nameString} external destinations`),
        detector.ifLocal, '-j', sp.chains.svc);
    }
    // The host's own traffic has a local address as source: masquerade it, use every endpoint.
    nat.append(ext, owner, '-m', 'comment', '--comment', quoted(`masquerade LOCAL traffic for ${sp.nameString} external destinations`),
      '-m', 'addrtype', '--src-type', 'LOCAL', '-j', 'KUBE-MARK-MASQ');
    nat.append(ext, owner, '-m', 'comment', '--comment', quoted(`route LOCAL traffic for ${sp.nameString} external destinations`),
      '-m', 'addrtype', '--src-type', 'LOCAL', '-j', sp.chains.svc);
  }
  if (jumpToPolicy) nat.append(ext, owner, '-j', p.externalPolicyChain);
}

/** KUBE-FW: allowed source ranges go on to KUBE-EXT. */
function writeFirewallChain(ctx: RenderContext, sp: ServicePortInfo): void {
  const { nat } = ctx;
  const owner = ownerOf(sp);
  const fw = sp.chains.fw;
  nat.declare(fw, owner, 'firewall');
  const args = ['-m', 'comment', '--comment', quoted(`${sp.nameString} loadbalancer IP`)];
  for (const range of sp.sourceRanges) nat.append(fw, owner, args, '-s', range.text, '-j', sp.chains.ext);
  // A node reaching its own VIP-like load balancer loops back with the VIP as source.
  if (nodeInSourceRanges(ctx, sp)) for (const ip of sp.loadBalancerVIPs) nat.append(fw, owner, args, '-s', ip, '-j', sp.chains.ext);
  if (ctx.sw.externalModel === 'ext-mark-drop') {
    nat.append(fw, owner, args, '-j', 'KUBE-MARK-DROP');
  } else if (ctx.sw.firewallCountRule) {
    // 1.27: no target; counts what the filter KUBE-PROXY-FIREWALL rule will drop.
    nat.append(fw, owner, '-m', 'comment', '--comment', quoted(`other traffic to ${sp.nameString} will be dropped by KUBE-PROXY-FIREWALL`));
  }
}

/** 1.24: SEP chains first, policy chains, KUBE-EXT, then the captures. */
export function writeServicePort1_24(ctx: RenderContext, sp: ServicePortInfo, eps: CategorizedEndpoints): void {
  const { nat, filter } = ctx;
  const owner = ownerOf(sp);
  const p = plan(sp);
  const hasEndpoints = eps.hasAnyEndpoints;
  const proto = ['-m', sp.protocol, '-p', sp.protocol];
  const noEndpoints = ['-m', 'comment', '--comment', quoted(`${sp.nameString} has no endpoints`)];

  for (const ep of eps.reachable) {
    declareEndpointChain(ctx, sp, ep);
    writeEndpointChainRules(ctx, sp, ep);
  }
  if (hasEndpoints && p.usesCluster) nat.declare(sp.chains.svc, owner, 'service');
  if (hasEndpoints && p.usesLocal) nat.declare(sp.chains.svl, owner, 'local');
  if (hasEndpoints && externallyAccessible(sp)) writeExternalChain(ctx, sp, p, true);

  const clusterArgs = ['-m', 'comment', '--comment', quoted(`${sp.nameString} cluster IP`), ...proto, '-d', sp.clusterIP, '--dport', String(sp.port)];
  if (hasEndpoints) {
    writeClusterIPMasquerade(ctx, p.internalChain, owner, clusterArgs);
    nat.append('KUBE-SERVICES', owner, clusterArgs, '-j', p.internalChain);
  } else {
    filter.append('KUBE-SERVICES', owner, noEndpoints, ...proto, '-d', sp.clusterIP, '--dport', String(sp.port), '-j', 'REJECT');
  }

  for (const ip of sp.externalIPs) {
    if (hasEndpoints) {
      nat.append('KUBE-SERVICES', owner, '-m', 'comment', '--comment', quoted(`${sp.nameString} external IP`), ...proto,
        '-d', ip, '--dport', String(sp.port), '-j', sp.chains.ext);
    } else {
      filter.append('KUBE-EXTERNAL-SERVICES', owner, noEndpoints, ...proto, '-d', ip, '--dport', String(sp.port), '-j', 'REJECT');
    }
  }

  if (sp.loadBalancerVIPs.length > 0 && hasEndpoints) {
    let next = sp.chains.ext;
    if (sp.sourceRanges.length > 0) {
      writeFirewallChain(ctx, sp);
      next = sp.chains.fw;
    }
    for (const ip of sp.loadBalancerVIPs) {
      nat.append('KUBE-SERVICES', owner, '-m', 'comment', '--comment', quoted(`${sp.nameString} loadbalancer IP`), ...proto,
        '-d', ip, '--dport', String(sp.port), '-j', next);
    }
  } else {
    for (const ip of sp.loadBalancerVIPs) {
      filter.append('KUBE-EXTERNAL-SERVICES', owner, noEndpoints, ...proto, '-d', ip, '--dport', String(sp.port), '-j', 'REJECT');
    }
  }

  if (sp.nodePort !== 0 && ctx.writesNodePorts) {
    if (hasEndpoints) {
      nat.append('KUBE-NODEPORTS', owner, '-m', 'comment', '--comment', sp.nameString, ...proto, '--dport', String(sp.nodePort), '-j', sp.chains.ext);
    } else {
      filter.append('KUBE-EXTERNAL-SERVICES', owner, noEndpoints, '-m', 'addrtype', '--dst-type', 'LOCAL', ...proto,
        '--dport', String(sp.nodePort), '-j', 'REJECT');
    }
  }
  writeHealthCheckRule(ctx, sp);

  if (p.usesCluster) writeServiceToEndpointRules(ctx, sp, sp.chains.svc, eps.cluster);
  if (p.usesLocal) {
    if (eps.local.length > 0) {
      writeServiceToEndpointRules(ctx, sp, sp.chains.svl, eps.local);
    } else if (hasEndpoints) {
      // Blackhole: the policy is Local and this node has none.
      nat.append(sp.chains.svl, owner, '-m', 'comment', '--comment', quoted(`${sp.nameString} has no local endpoints`), '-j', 'KUBE-MARK-DROP');
    }
  }
}

/** 1.25 and later: captures and filter rules, then KUBE-EXT, KUBE-FW, the policy chains, SEP chains. */
export function writeServicePortModern(ctx: RenderContext, sp: ServicePortInfo, eps: CategorizedEndpoints): void {
  const { nat, filter, sw, config } = ctx;
  const owner = ownerOf(sp);
  const p = plan(sp);
  const proto = ['-m', sp.protocol, '-p', sp.protocol];
  const hasEndpoints = eps.hasAnyEndpoints;
  const hasInternal = hasEndpoints && !(sp.internalPolicyLocal && eps.local.length === 0);
  const hasExternal = hasEndpoints && !(sp.externalPolicyLocal && eps.local.length === 0);
  const usesExternalChain = hasEndpoints && externallyAccessible(sp);
  const usesFW = hasEndpoints && sp.loadBalancerVIPs.length > 0 && sp.sourceRanges.length > 0;
  const lbTarget = usesFW ? sp.chains.fw : sp.chains.ext;

  // What filter does with traffic no chain takes: no endpoints at all, REJECT; endpoints, but
  // none here for a Local policy, DROP. (kube-proxy keeps an internal and an external copy of
  // this pair; both are set from hasEndpoints alone, so one serves.)
  const unserved = hasEndpoints
    ? { comment: ['-m', 'comment', '--comment', quoted(`${sp.nameString} has no local endpoints`)], target: 'DROP' }
    : { comment: ['-m', 'comment', '--comment', quoted(`${sp.nameString} has no endpoints`)], target: 'REJECT' };

  const clusterArgs = ['-m', 'comment', '--comment', quoted(`${sp.nameString} cluster IP`), ...proto, '-d', sp.clusterIP, '--dport', String(sp.port)];
  if (hasInternal) {
    nat.append('KUBE-SERVICES', owner, clusterArgs, '-j', p.internalChain);
  } else {
    filter.append('KUBE-SERVICES', owner, unserved.comment, ...proto, '-d', sp.clusterIP, '--dport', String(sp.port), '-j', unserved.target);
  }

  for (const ip of sp.externalIPs) {
    if (hasEndpoints) {
      nat.append('KUBE-SERVICES', owner, '-m', 'comment', '--comment', quoted(`${sp.nameString} external IP`), ...proto,
        '-d', ip, '--dport', String(sp.port), '-j', sp.chains.ext);
    }
    if (!hasExternal) {
      filter.append('KUBE-EXTERNAL-SERVICES', owner, unserved.comment, ...proto, '-d', ip, '--dport', String(sp.port), '-j', unserved.target);
    }
  }

  for (const ip of sp.loadBalancerVIPs) {
    if (hasEndpoints) {
      nat.append('KUBE-SERVICES', owner, '-m', 'comment', '--comment', quoted(`${sp.nameString} loadbalancer IP`), ...proto,
        '-d', ip, '--dport', String(sp.port), '-j', lbTarget);
    }
    if (usesFW) {
      filter.append('KUBE-PROXY-FIREWALL', owner, '-m', 'comment', '--comment', quoted(`${sp.nameString} traffic not accepted by ${sp.chains.fw}`),
        ...proto, '-d', ip, '--dport', String(sp.port), '-j', 'DROP');
    }
  }
  if (!hasExternal) {
    for (const ip of sp.loadBalancerVIPs) {
      filter.append('KUBE-EXTERNAL-SERVICES', owner, unserved.comment, ...proto, '-d', ip, '--dport', String(sp.port), '-j', unserved.target);
    }
  }

  if (sp.nodePort !== 0 && ctx.writesNodePorts) {
    if (hasEndpoints) {
      // NodePorts are not subject to loadBalancerSourceRanges.
      if (sw.nfacct && config.nfacct && ctx.localhostNodePorts) {
        // 1.31: count packets accepted on localhost NodePorts (#125015).
        nat.append('KUBE-NODEPORTS', owner, '-m', 'comment', '--comment', sp.nameString, ...proto, '-d', '127.0.0.0/8',
          '--dport', String(sp.nodePort), '-m', 'nfacct', '--nfacct-name', 'localhost_nps_accepted_pkts', '-j', sp.chains.ext);
      }
      nat.append('KUBE-NODEPORTS', owner, '-m', 'comment', '--comment', sp.nameString, ...proto, '--dport', String(sp.nodePort), '-j', sp.chains.ext);
    }
    if (!hasExternal) {
      filter.append('KUBE-EXTERNAL-SERVICES', owner, unserved.comment, '-m', 'addrtype', '--dst-type', 'LOCAL', ...proto,
        '--dport', String(sp.nodePort), '-j', unserved.target);
    }
  }
  writeHealthCheckRule(ctx, sp);

  if (hasInternal) writeClusterIPMasquerade(ctx, p.internalChain, owner, clusterArgs);
  if (usesExternalChain) writeExternalChain(ctx, sp, p, hasExternal);
  if (usesFW) writeFirewallChain(ctx, sp);
  if (eps.cluster.length > 0 && p.usesCluster) {
    nat.declare(sp.chains.svc, owner, 'service');
    writeServiceToEndpointRules(ctx, sp, sp.chains.svc, eps.cluster);
  }
  if (eps.local.length > 0 && p.usesLocal) {
    nat.declare(sp.chains.svl, owner, 'local');
    writeServiceToEndpointRules(ctx, sp, sp.chains.svl, eps.local);
  }
  for (const ep of eps.reachable) {
    declareEndpointChain(ctx, sp, ep);
    writeEndpointChainRules(ctx, sp, ep);
  }
}
