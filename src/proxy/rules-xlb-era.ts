// One service port's rules for kube-proxy 1.16-1.23, the KUBE-XLB era: captures in
// KUBE-SERVICES / KUBE-NODEPORTS with the masquerade rules beside them (moved into the SVC
// chain in 1.22), one KUBE-FW chain per load-balancer IP ending in KUBE-MARK-DROP, and a
// KUBE-XLB chain for externalTrafficPolicy Local.
// Read from: a 1.16 annotated and a 1.18-development proxier.go (writeLine era) and a 1.23
// proxier.go (LineBuffer era); differences between them are profile switches.
import { quoted } from './line-writer.js';
import type { CategorizedEndpoints, ServicePortInfo } from './model.js';
import { addr, ownerOf, type RenderContext } from './render-context.js';
import { nodeInSourceRanges, writeClusterIPMasquerade, writeHealthCheckRule } from './rules-common.js';
import {
  declareEndpointChain,
  writeAffinityRules,
  writeBalancingRule,
  writeEndpointChainRules,
  writeServiceToEndpointRules,
} from './rules-endpoints.js';

export function writeServicePortXlbEra(ctx: RenderContext, sp: ServicePortInfo, eps: CategorizedEndpoints): void {
  const { sw, nat, filter, detector } = ctx;
  const owner = ownerOf(sp);
  const { svc: svcChain, xlb: xlbChain, fw: fwChain } = sp.chains;
  const hasEndpoints = eps.hasAnyEndpoints;
  const local = sp.externalPolicyLocal;
  const proto = ['-m', sp.protocol, '-p', sp.protocol];

  // 1.23 writes every endpoint chain before the service's own rules.
  if (sw.endpointChainsFirst) {
    for (const ep of eps.reachable) {
      declareEndpointChain(ctx, sp, ep);
      writeEndpointChainRules(ctx, sp, ep);
    }
  }
  if (hasEndpoints) nat.declare(svcChain, owner, 'service');
  // The XLB chain is declared for every Local service, endpoints or not.
  if (local) nat.declare(xlbChain, owner, 'xlb');

  // Masquerade rules for traffic that is not from a pod: in KUBE-SERVICES up to 1.21, in
  // the service's own chain from 1.22 (#96959).
  const masqueradeChain = sw.masqueradePlacement === 'kube-services' ? 'KUBE-SERVICES' : svcChain;
  const masqueradeUnlessLocal = (args: string[]) => {
    if (detector.implemented) nat.append(masqueradeChain, owner, args, detector.ifNotLocal, '-j', 'KUBE-MARK-MASQ');
    else nat.append(masqueradeChain, owner, args, '-j', 'KUBE-MARK-MASQ');
  };

  // Cluster IP.
  const clusterArgs = ['-m', 'comment', '--comment', quoted(`${sp.nameString} cluster IP`), ...proto, '-d', addr(ctx, sp.clusterIP), '--dport', String(sp.port)];
  if (hasEndpoints) {
    writeClusterIPMasquerade(ctx, masqueradeChain, owner, clusterArgs);
    nat.append('KUBE-SERVICES', owner, clusterArgs, '-j', svcChain);
  } else {
    filter.append('KUBE-SERVICES', owner, '-m', 'comment', '--comment', quoted(`${sp.nameString} has no endpoints`), ...proto,
      '-d', addr(ctx, sp.clusterIP), '--dport', String(sp.port), '-j', 'REJECT');
  }

  // External IPs.
  for (const ip of sp.externalIPs) {
    const args = ['-m', 'comment', '--comment', quoted(`${sp.nameString} external IP`), ...proto, '-d', addr(ctx, ip), '--dport', String(sp.port)];
    if (!hasEndpoints) {
      filter.append('KUBE-EXTERNAL-SERVICES', owner, '-m', 'comment', '--comment', quoted(`${sp.nameString} has no endpoints`), ...proto,
        '-d', addr(ctx, ip), '--dport', String(sp.port), '-j', 'REJECT');
      continue;
    }
    if (sw.externalIPStyle === 'direct') {
      // 1.21 (#96296): no physdev match; Cluster policy masquerades only non-pod traffic.
      if (!local) masqueradeUnlessLocal(args);
      nat.append('KUBE-SERVICES', owner, args, '-j', local ? xlbChain : svcChain);
      continue;
    }
    // Up to 1.17 external IPs always masquerade and go to SVC; 1.18-1.20 honour Local policy.
    const dest = sw.externalIPStyle === 'physdev-policy' && local ? xlbChain : svcChain;
    if (sw.externalIPStyle === 'physdev' || !local) nat.append('KUBE-SERVICES', owner, args, '-j', 'KUBE-MARK-MASQ');
    // Off-machine traffic (not from a bridge, not from a local process), and local destinations.
    nat.append('KUBE-SERVICES', owner, args, '-m', 'physdev', '!', '--physdev-is-in', '-m', 'addrtype', '!', '--src-type', 'LOCAL', '-j', dest);
    nat.append('KUBE-SERVICES', owner, args, '-m', 'addrtype', '--dst-type', 'LOCAL', '-j', dest);
  }

  // Load-balancer IPs: one KUBE-FW chain, filled once per IP.
  for (const ip of sp.loadBalancerVIPs) {
    if (!hasEndpoints) {
      filter.append(sw.lbNoEndpointsChain, owner, '-m', 'comment', '--comment', quoted(`${sp.nameString} has no endpoints`), ...proto,
        '-d', addr(ctx, ip), '--dport', String(sp.port), '-j', 'REJECT');
      continue;
    }
    nat.declare(fwChain, owner, 'firewall');
    nat.append('KUBE-SERVICES', owner, '-m', 'comment', '--comment', quoted(`${sp.nameString} loadbalancer IP`), ...proto,
      '-d', addr(ctx, ip), '--dport', String(sp.port), '-j', fwChain);
    const fwArgs = ['-m', 'comment', '--comment', quoted(`${sp.nameString} loadbalancer IP`)];
    const chosen = local ? xlbChain : svcChain;
    // Cluster policy may cross nodes: masquerade. Local policy keeps the client address.
    if (!local) nat.append(fwChain, owner, fwArgs, '-j', 'KUBE-MARK-MASQ');
    if (sp.sourceRanges.length === 0) {
      nat.append(fwChain, owner, fwArgs, '-j', chosen);
    } else {
      for (const range of sp.sourceRanges) nat.append(fwChain, owner, fwArgs, '-s', range.text, '-j', chosen);
      // A node reaching its own VIP-like load balancer loops back with the VIP as source.
      if (nodeInSourceRanges(ctx, sp)) nat.append(fwChain, owner, fwArgs, '-s', addr(ctx, ip), '-j', chosen);
    }
    // Whatever got this far was not DNATed: it is not allowed through the firewall.
    nat.append(fwChain, owner, fwArgs, '-j', 'KUBE-MARK-DROP');
  }

  // NodePort.
  if (sp.nodePort !== 0 && ctx.writesNodePorts) {
    if (hasEndpoints) {
      const args = ['-m', 'comment', '--comment', sp.nameString, ...proto, '--dport', String(sp.nodePort)];
      if (!local) {
        // NodePorts need SNAT unless the policy is Local.
        nat.append(sw.masqueradePlacement === 'kube-services' ? 'KUBE-NODEPORTS' : svcChain, owner, args, '-j', 'KUBE-MARK-MASQ');
        nat.append('KUBE-NODEPORTS', owner, args, '-j', svcChain);
      } else {
        // Fix the localhost martian-source error for Local NodePorts reached on 127.0.0.1.
        const loopback = ctx.family === 4 ? '127.0.0.0/8' : '::1/128';
        nat.append('KUBE-NODEPORTS', owner, args, '-s', loopback, '-j', 'KUBE-MARK-MASQ');
        nat.append('KUBE-NODEPORTS', owner, args, '-j', xlbChain);
      }
    } else {
      filter.append('KUBE-EXTERNAL-SERVICES', owner, '-m', 'comment', '--comment', quoted(`${sp.nameString} has no endpoints`),
        '-m', 'addrtype', '--dst-type', 'LOCAL', ...proto, '--dport', String(sp.nodePort), '-j', 'REJECT');
    }
  }

  writeHealthCheckRule(ctx, sp);

  if (!hasEndpoints) return;

  if (sw.endpointChainsFirst) {
    writeServiceToEndpointRules(ctx, sp, svcChain, eps.cluster);
  } else {
    // Up to 1.22: all endpoint chains declared, affinity rules, then per endpoint its
    // balancing rule followed by its own two rules.
    for (const ep of eps.reachable) declareEndpointChain(ctx, sp, ep);
    writeAffinityRules(ctx, sp, svcChain, eps.cluster);
    eps.cluster.forEach((ep, i) => {
      writeBalancingRule(ctx, sp, svcChain, ep, i, eps.cluster.length);
      writeEndpointChainRules(ctx, sp, ep);
    });
  }

  if (!local) return;
  // Pods reaching the external address are sent to the service as if by cluster IP.
  if (detector.implemented) {
    nat.append(xlbChain, owner, '-m', 'comment', '--comment', quoted('Redirect pods trying to reach external loadbalancer VIP to clusterIP'),
      detector.ifLocal, '-j', svcChain);
  }
  // Host-originated traffic to the LB IP has a local source: masquerade it and use every endpoint.
  nat.append(xlbChain, owner, '-m', 'comment', '--comment', quoted(`masquerade LOCAL traffic for ${sp.nameString} LB IP`),
    '-m', 'addrtype', '--src-type', 'LOCAL', '-j', 'KUBE-MARK-MASQ');
  nat.append(xlbChain, owner, '-m', 'comment', '--comment', quoted(`route LOCAL traffic for ${sp.nameString} LB IP to service chain`),
    '-m', 'addrtype', '--src-type', 'LOCAL', '-j', svcChain);
  if (eps.local.length === 0) {
    nat.append(xlbChain, owner, '-m', 'comment', '--comment', quoted(`${sp.nameString} has no local endpoints`), '-j', 'KUBE-MARK-DROP');
    return;
  }
  if (sw.xlbBalancingComment === 'name') {
    writeServiceToEndpointRules(ctx, sp, xlbChain, eps.local);
    return;
  }
  // Up to 1.22 the XLB rules carry their own comments, kept even in large clusters.
  writeAffinityRules(ctx, sp, xlbChain, eps.local, () => ['-m', 'comment', '--comment', sp.nameString]);
  eps.local.forEach((ep, i) =>
    writeBalancingRule(ctx, sp, xlbChain, ep, i, eps.local.length, ['-m', 'comment', '--comment', quoted(`Balancing rule ${i} for ${sp.nameString}`)]),
  );
}
