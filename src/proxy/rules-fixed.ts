// The rules that do not belong to any service: the top-level chain declarations, masquerade
// marking (KUBE-POSTROUTING, KUBE-MARK-MASQ), kube-proxy's copy of kubelet's KUBE-FIREWALL,
// the KUBE-SERVICES -> KUBE-NODEPORTS tail rule and KUBE-FORWARD.
import { quoted } from './line-writer.js';
import type { RenderContext } from './render-context.js';

export const NODEPORTS_TAIL_COMMENT = quoted('kubernetes service nodeports; NOTE: this must be the last rule in this chain');

/** Whether kube-proxy declares filter KUBE-FIREWALL (IPv4 with localhost NodePorts, 1.27+). */
export const writesKubeFirewall = (ctx: RenderContext) => ctx.sw.kubeFirewallInPayload && ctx.family === 4 && ctx.localhostNodePorts;

/**
 * The words of a "-m mark --mark" match and of --set-xmark. Up to 1.18 (before #92035)
 * kube-proxy's masqueradeMark field held the pair itself, fmt "%#08x/%#08x", and every rule wrote
 * the field verbatim, so an unset field (the 1.16/1.17 unit-test fakes) writes an empty word
 * ("--mark  -j ACCEPT"). From #92035 the field is the mark alone and matches write mark+"/"+mark.
 */
export function markMatch(ctx: RenderContext): string {
  const mark = ctx.config.masqueradeMark;
  if (ctx.sw.markStyle === 'set-xmark') return mark === '' ? '' : `${mark}/${mark}`;
  return `${mark}/${mark}`;
}

/** Chain declarations and the rules written before any service. */
export function writeHeader(ctx: RenderContext): void {
  const { filter, nat, sw, config } = ctx;
  const filterChains = ['KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-FORWARD'];
  if (sw.healthCheckRules) filterChains.push('KUBE-NODEPORTS');
  if (sw.externalModel === 'ext') filterChains.push('KUBE-PROXY-FIREWALL');
  for (const c of filterChains) filter.declare(c);
  for (const c of ['KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ']) nat.declare(c);

  const mark = config.masqueradeMark;
  const pair = markMatch(ctx);
  const randomFully = config.randomFully ? ['--random-fully'] : [];
  if (sw.markStyle === 'set-xmark') {
    // Up to 1.18 the mark was "%#08x/%#08x" and one rule masqueraded marked packets.
    nat.append('KUBE-POSTROUTING', undefined, '-m', 'comment', '--comment', quoted('kubernetes service traffic requiring SNAT'),
      '-m', 'mark', '--mark', pair, '-j', 'MASQUERADE', randomFully);
    nat.append('KUBE-MARK-MASQ', undefined, '-j', 'MARK', '--set-xmark', pair);
  } else {
    // #92035: clear the mark before masquerading, so a re-traversing packet is not masqueraded twice.
    nat.append('KUBE-POSTROUTING', undefined, '-m', 'mark', '!', '--mark', pair, '-j', 'RETURN');
    nat.append('KUBE-POSTROUTING', undefined, '-j', 'MARK', '--xor-mark', mark);
    nat.append('KUBE-POSTROUTING', undefined, '-m', 'comment', '--comment', quoted('kubernetes service traffic requiring SNAT'),
      '-j', 'MASQUERADE', randomFully);
    nat.append('KUBE-MARK-MASQ', undefined, '-j', 'MARK', '--or-mark', mark);
  }

  if (writesKubeFirewall(ctx)) {
    // route_localnet opens NodePorts on 127.0.0.1 to the network (issue #90259); this rule,
    // identical to kubelet's, closes that hole.
    filter.declare('KUBE-FIREWALL');
    filter.append('KUBE-FIREWALL', undefined, '-m', 'comment', '--comment', quoted('block incoming localnet connections'),
      '-d', '127.0.0.0/8', '!', '-s', '127.0.0.0/8', '-m', 'conntrack', '!', '--ctstate', 'RELATED,ESTABLISHED,DNAT', '-j', 'DROP');
  }
}

/** The last rule of nat KUBE-SERVICES: local destinations go on to KUBE-NODEPORTS. */
export function writeNodePortsTail(ctx: RenderContext): void {
  const { nat, nodePorts, sw, family } = ctx;
  if (nodePorts.matchAll) {
    const destinations = ['-m', 'addrtype', '--dst-type', 'LOCAL'];
    if (sw.localhostNodePortsOption) {
      // 1.26 (#108250): localhost NodePorts never work on IPv6, and only with route_localnet on IPv4.
      if (family === 6) destinations.push('!', '-d', '::1/128');
      else if (!ctx.localhostNodePorts) destinations.push('!', '-d', '127.0.0.0/8');
    }
    nat.append('KUBE-SERVICES', undefined, '-m', 'comment', '--comment', NODEPORTS_TAIL_COMMENT, destinations, '-j', 'KUBE-NODEPORTS');
    return;
  }
  for (const ip of nodePorts.ips) {
    const loopback = ip === '127.0.0.1' || ip === '::1';
    if (sw.localhostNodePortsOption && loopback && (family === 6 || !ctx.localhostNodePorts)) continue;
    nat.append('KUBE-SERVICES', undefined, '-m', 'comment', '--comment', NODEPORTS_TAIL_COMMENT, '-d', ip, '-j', 'KUBE-NODEPORTS');
  }
}

/** KUBE-FORWARD, the last rules of the filter table. */
export function writeForwardRules(ctx: RenderContext): void {
  const { filter, sw, config } = ctx;
  if (!(sw.tcpBeLiberal && config.conntrackTCPLiberal)) {
    // Packets in INVALID state could reset connections unexpectedly (#74839); with
    // nf_conntrack_tcp_be_liberal set only out-of-window RSTs are INVALID (#117924).
    const nfacct = sw.nfacct && config.nfacct ? ['-m', 'nfacct', '--nfacct-name', 'ct_state_invalid_dropped_pkts'] : [];
    filter.append('KUBE-FORWARD', undefined, '-m', 'conntrack', '--ctstate', 'INVALID', nfacct, '-j', 'DROP');
  }
  filter.append('KUBE-FORWARD', undefined, '-m', 'comment', '--comment', quoted('kubernetes forwarding rules'),
    '-m', 'mark', '--mark', markMatch(ctx), '-j', 'ACCEPT');
  const established = ['-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'];
  switch (sw.forwardConntrack) {
    case 'cluster-cidr-pair': {
      // Up to 1.17 these two existed only with a cluster CIDR, and were limited to it.
      const cidr = ctx.detector.implemented && ctx.detector.ifLocal[0] === '-s' ? ctx.detector.ifLocal[1] : undefined;
      if (!cidr) break;
      filter.append('KUBE-FORWARD', undefined, '-s', cidr, '-m', 'comment', '--comment',
        quoted('kubernetes forwarding conntrack pod source rule'), established);
      filter.append('KUBE-FORWARD', undefined, '-m', 'comment', '--comment',
        quoted('kubernetes forwarding conntrack pod destination rule'), '-d', cidr, established);
      break;
    }
    case 'pair':
      filter.append('KUBE-FORWARD', undefined, '-m', 'comment', '--comment', quoted('kubernetes forwarding conntrack pod source rule'), established);
      filter.append('KUBE-FORWARD', undefined, '-m', 'comment', '--comment', quoted('kubernetes forwarding conntrack pod destination rule'), established);
      break;
    case 'single':
      filter.append('KUBE-FORWARD', undefined, '-m', 'comment', '--comment', quoted('kubernetes forwarding conntrack rule'), established);
      break;
  }
}
