// Configurations matching kube-proxy's NewFakeProxier in the unit tests the fixtures come from,
// and a snapshot builder for the fixtures' objects.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { emptySnapshot, type KubeObject, type Snapshot } from '../../../src/cluster/types.js';
import { buildProxyConfig, type ProxyConfig } from '../../../src/proxy/config.js';
import type { ProfileSwitches } from '../../../src/proxy/profiles.js';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures');

/**
 * NewFakeProxier of the era:
 *  - "1.33": node "test-node", testNodeIPs on eth0, detector 10.0.0.0/8 / fd00:10::/64, nfacct counters present;
 *  - "1.28": node "test-hostname", node IP 192.168.0.2 (eth0 192.168.0.2/24, 2001:db8::1/64), detector 10.0.0.0/8 / fd00::/64;
 *  - "1.17" ... "1.23": node "test-hostname", no node IP and no interfaces unless a test adds
 *    some (nodeIPs), cluster CIDR / detector 10.0.0.0/24, nodePortAddresses empty;
 * all with the mark injected as "0x4000" (the 1.16/1.17 fakes leave it unset: masqueradeMark ""),
 * no --random-fully unless the test's fake iptables has it, localhost NodePorts on.
 */
export type FakeProxierEra = '1.33' | '1.28';
/** The older eras' fakes (test/fixtures/proxy/eras/): rules only, no packet-flow tables. */
export type OlderFakeProxierEra = '1.17' | '1.18' | '1.19' | '1.21' | '1.23';

export interface FakeProxierOptions {
  era: FakeProxierEra | OlderFakeProxierEra;
  version: string;
  masqueradeAll?: boolean;
  localDetector?: boolean;
  localhostNodePorts?: boolean;
  nodePortAddresses?: string[];
  conntrackTCPLiberal?: boolean;
  nfacct?: boolean;
  randomFully?: boolean;
  /** The proxier's masqueradeMark field ("" = never set). */
  masqueradeMark?: string;
  /** Addresses of the fake network interfaces (GetNodeAddresses), replacing the era's node IPs. */
  nodeIPs?: string[];
  /** Code differences of the snapshot the test comes from (a patch-release backport, a development snapshot). */
  switches?: Partial<ProfileSwitches>;
}

const LEGACY = { node: 'test-hostname', nodeIPs: [] as string[], cidrs: '10.0.0.0/24', nfacct: false } as const;

const ERA = {
  '1.33': {
    node: 'test-node',
    nodeIPs: ['192.168.0.2', '192.168.1.2', '192.168.99.11', '2001:db8::1', '2001:db8:1::2'],
    cidrs: '10.0.0.0/8,fd00:10::/64',
    nfacct: true,
  },
  '1.28': { node: 'test-hostname', nodeIPs: ['192.168.0.2', '2001:db8::1'], cidrs: '10.0.0.0/8,fd00::/64', nfacct: false },
  '1.17': LEGACY,
  '1.18': LEGACY,
  '1.19': LEGACY,
  '1.21': LEGACY,
  '1.23': LEGACY,
} as const;

/** The era's node addresses (its fake interfaces), for a tracer's LOCAL address test. */
export function eraNodeIPs(era: FakeProxierEra | OlderFakeProxierEra): readonly string[] {
  return ERA[era].nodeIPs;
}

export function fakeProxierConfig(o: FakeProxierOptions): ProxyConfig {
  const era = ERA[o.era];
  const config = buildProxyConfig({
    flags: {
      node: era.node,
      nodeIp: [...(o.nodeIPs ?? era.nodeIPs)],
      clusterCidr: o.localDetector === false ? '' : era.cidrs,
      masqueradeAll: o.masqueradeAll ?? false,
      ...(o.nodePortAddresses ? { nodeportAddresses: o.nodePortAddresses.join(',') } : {}),
      ...(o.localhostNodePorts === false ? { localhostNodeports: false } : {}),
      proxyVersion: o.version,
    },
    snapshot: { nodes: [] },
  });
  const profile = o.switches ? { ...config.profile, switches: { ...config.profile.switches, ...o.switches } } : config.profile;
  return {
    ...config,
    profile,
    masqueradeMark: o.masqueradeMark ?? '0x4000',
    randomFully: o.randomFully ?? false,
    nfacct: o.nfacct ?? era.nfacct,
    conntrackTCPLiberal: o.conntrackTCPLiberal ?? false,
    detectLocal: o.localDetector === false ? { mode: 'None', cidrs: [] } : config.detectLocal,
  };
}

export function snapshotOf(objects: readonly KubeObject[]): Snapshot {
  const snap = emptySnapshot('test');
  for (const o of objects) {
    switch (o.kind) {
      case 'Service':
        snap.services.push(o as never);
        break;
      case 'EndpointSlice':
        snap.endpointSlices.push(o as never);
        break;
      case 'Endpoints':
        snap.endpoints.push(o as never);
        break;
      case 'Node':
        snap.nodes.push(o as never);
        break;
      case 'Pod':
        snap.pods.push(o as never);
        break;
      default:
        throw new Error(`fixture object of unexpected kind ${o.kind}`);
    }
  }
  return snap;
}

export interface ScenarioFixture {
  test: string;
  origin: string;
  profile: string;
  era: FakeProxierEra;
  family?: 4 | 6;
  fakeProxier?: Partial<FakeProxierOptions>;
  objects: KubeObject[];
  /** The test's expected payload, already in sortIPTablesRules form. */
  expected?: string;
  /** Expected rules of single chains: "table/CHAIN" -> rules text. */
  chains?: Record<string, string>;
  flows?: Array<{ name: string; sourceIP: string; protocol?: string; destIP: string; destPort: number; output: string; masq?: boolean }>;
}

export function loadScenario(file: string): ScenarioFixture {
  return parse(readFileSync(join(FIXTURES, 'proxy', file), 'utf8')) as ScenarioFixture;
}
