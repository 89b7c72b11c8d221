// kube-proxy's unit-test world (pkg/proxy/iptables NewFakeProxier) as a lab scenario: the node's
// addresses per era on eth0, pods in 10.0.0.0/8 and fd00:10::/64 (fd00::/64 in the 1.28 era)
// behind the gateways 10.0.0.1 / fd00:10::1, and the rules svctrace renders for a fixture, in
// the save form (node baseline + payload, as `svctrace rules --format save` prints them).
import { printSave, type Family } from '../../src/netfilter/index.js';
import { nodeRuleset } from '../../src/proxy/node-rules.js';
import { renderNode } from '../../src/proxy/render.js';
import { eraNodeIPs, fakeProxierConfig, snapshotOf, type FakeProxierEra, type ScenarioFixture } from '../proxy/support/fake-proxier.js';
import type { LabScenario, ScenarioProbe } from './netlab-spec.js';

/** The era's node addresses (fake-proxier.ts) on eth0: /24 for IPv4, /64 for IPv6, as the fakes give them. */
const onEth0 = (era: FakeProxierEra) => eraNodeIPs(era).map((ip) => (ip.includes(':') ? `${ip}/64` : `${ip}/24`));

export const FAKE_NODE: Record<FakeProxierEra, Pick<LabScenario, 'nodeAddresses' | 'podCidrs' | 'podGateways'>> = {
  '1.33': {
    nodeAddresses: onEth0('1.33'),
    podCidrs: ['10.0.0.0/8', 'fd00:10::/64'],
    podGateways: ['10.0.0.1', 'fd00:10::1'],
  },
  '1.28': {
    nodeAddresses: onEth0('1.28'),
    podCidrs: ['10.0.0.0/8', 'fd00::/64'],
    podGateways: ['10.0.0.1', 'fd00::1'],
  },
};

/**
 * The save form of a fixture's rules for its family, nfacct matches included when the era has
 * them (the lab's node holds kube-proxy's counters).
 */
export function fixtureRules(f: ScenarioFixture): { family: Family; text: string } {
  const config = fakeProxierConfig({ era: f.era, version: f.profile, ...(f.fakeProxier ?? {}) });
  const render = renderNode(snapshotOf(f.objects), config);
  const wanted = f.family ?? 4;
  const rendered = render.families.find((x) => x.family === wanted);
  if (!rendered) throw new Error(`${f.test}: no IPv${wanted} rules rendered`);
  return { family: wanted === 4 ? 'ipv4' : 'ipv6', text: printSave(nodeRuleset(rendered, config.profile.switches)) };
}

/** A fixture with its probes as a lab scenario. */
export function fixtureScenario(f: ScenarioFixture, probes: readonly ScenarioProbe[]): LabScenario & { rules: [{ family: Family; text: string }] } {
  return { ...FAKE_NODE[f.era], rules: [fixtureRules(f)], probes };
}
