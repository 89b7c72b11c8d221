// Every switch of the version profiles is observable: one cluster rendered at the minor before
// a change and at the minor that brings it differs exactly as kube-proxy's source of that minor
// writes it (the change table in src/proxy/profiles.ts names each source and PR; the expected
// rule shapes are those of kube-proxy's proxier.go / unit tests of the two minors, research note §10).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../src/cluster/types.js';
import { buildProxyConfig, type ProxyConfig } from '../../src/proxy/config.js';
import { BASELINE_1_16, NEWEST_MINOR, OLDEST_MINOR, allProfiles, parseProxyVersion, profileFor, PROFILE_CHANGES } from '../../src/proxy/profiles.js';
import { renderNode } from '../../src/proxy/render.js';
import { snapshotOf } from './support/fake-proxier.js';

const svc = (ns: string, name: string, spec: Record<string, unknown>, status?: Record<string, unknown>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { namespace: ns, name },
  spec: { ports: [{ name: 'p80', port: 80, protocol: 'TCP' }], ...spec },
  ...(status ? { status } : {}),
});
const slice = (ns: string, name: string, endpoints: Record<string, unknown>[], portName = 'p80', family = 4): KubeObject => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { namespace: ns, name: `${name}-1`, labels: { 'kubernetes.io/service-name': name } },
  addressType: `IPv${family}`,
  endpoints,
  ports: [{ name: portName, port: 80, protocol: 'TCP' }],
});
const ep = (ip: string, extra: Record<string, unknown> = {}) => ({ addresses: [ip], ...extra });

const CLUSTER: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-a', labels: { 'topology.kubernetes.io/zone': 'zone-a' } } },
  svc('ns1', 'svc1', { clusterIP: '172.30.0.41' }),
  slice('ns1', 'svc1', [ep('10.180.0.1', { nodeName: 'node-a' }), ep('10.180.0.2'), ep('10.180.0.3')]),
  svc('ns1', 'unnamed', { clusterIP: '172.30.0.42', ports: [{ port: 80, protocol: 'TCP' }] }),
  slice('ns1', 'unnamed', [ep('10.180.1.1')], ''),
  svc('ns2', 'lb', { type: 'LoadBalancer', clusterIP: '172.30.0.43', externalTrafficPolicy: 'Local', healthCheckNodePort: 30000,
    ports: [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 30001 }] }, { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } }),
  slice('ns2', 'lb', [ep('10.180.2.1', { nodeName: 'node-a' })]),
  svc('ns3', 'lbnone', { type: 'LoadBalancer', clusterIP: '172.30.0.44', ports: [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 30002 }] },
    { loadBalancer: { ingress: [{ ip: '5.6.7.8' }] } }),
  svc('ns4', 'proxied', { type: 'LoadBalancer', clusterIP: '172.30.0.45', ports: [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 30004 }] },
    { loadBalancer: { ingress: [{ ip: '9.9.9.9', ipMode: 'Proxy' }] } }),
  slice('ns4', 'proxied', [ep('10.180.4.1')]),
  svc('ns5', 'fw', { type: 'LoadBalancer', clusterIP: '172.30.0.46', loadBalancerSourceRanges: ['203.0.113.1/25'],
    ports: [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 30005 }] }, { loadBalancer: { ingress: [{ ip: '5.5.5.5' }] } }),
  slice('ns5', 'fw', [ep('10.180.5.1')]),
  svc('ns6', 'v6', { type: 'NodePort', clusterIP: 'fd00::10', ipFamilies: ['IPv6'], ports: [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 30006 }] }),
  slice('ns6', 'v6', [ep('fd00:10::1')], 'p80', 6),
  svc('ns7', 'term', { clusterIP: '172.30.0.47' }),
  slice('ns7', 'term', [ep('10.180.7.1', { conditions: { ready: false, serving: true, terminating: true } })]),
  svc('ns8', 'topo', { clusterIP: '172.30.0.48' }),
  slice('ns8', 'topo', [ep('10.180.8.1', { hints: { forZones: [{ name: 'zone-a' }] } }), ep('10.180.8.2', { hints: { forZones: [{ name: 'zone-b' }] } })]),
  { ...svc('ns9', 'auto', { clusterIP: '172.30.0.49' }), metadata: { namespace: 'ns9', name: 'auto', annotations: { 'service.kubernetes.io/topology-aware-hints': 'Auto' } } },
  slice('ns9', 'auto', [ep('10.180.9.1', { hints: { forZones: [{ name: 'zone-a' }] } }), ep('10.180.9.2', { hints: { forZones: [{ name: 'zone-b' }] } })]),
  { ...svc('ns10', 'mode', { clusterIP: '172.30.0.50' }), metadata: { namespace: 'ns10', name: 'mode', annotations: { 'service.kubernetes.io/topology-mode': 'Auto' } } },
  slice('ns10', 'mode', [ep('10.180.10.1', { hints: { forZones: [{ name: 'zone-a' }] } }), ep('10.180.10.2', { hints: { forZones: [{ name: 'zone-b' }] } })]),
  svc('ns11', 'samenode', { clusterIP: '172.30.0.51', trafficDistribution: 'PreferSameNode' }),
  slice('ns11', 'samenode', [
    ep('10.180.11.1', { nodeName: 'node-a', hints: { forNodes: [{ name: 'node-a' }], forZones: [{ name: 'zone-a' }] } }),
    ep('10.180.11.2', { nodeName: 'node-b', hints: { forNodes: [{ name: 'node-b' }], forZones: [{ name: 'zone-a' }] } }),
  ]),
];

function payloads(minor: number, tweak: (c: ProxyConfig) => ProxyConfig = (c) => c): { v4: string; v6: string } {
  const snapshot = snapshotOf(CLUSTER);
  const config = tweak(
    buildProxyConfig({ flags: { node: 'node-a', nodeIp: ['192.168.0.2', '2001:db8::1'], clusterCidr: '10.0.0.0/8,fd00:10::/64', proxyVersion: `1.${minor}` }, snapshot }),
  );
  const r = renderNode(snapshot, config);
  return { v4: r.families.find((f) => f.family === 4)?.payload ?? '', v6: r.families.find((f) => f.family === 6)?.payload ?? '' };
}

interface SwitchCase {
  minor: number;
  what: string;
  before: RegExp | string;
  after: RegExp | string;
  family?: 'v4' | 'v6';
  tweak?: (c: ProxyConfig) => ProxyConfig;
}

const CASES: SwitchCase[] = [
  { minor: 17, what: 'probability %0.5f -> %0.10f (#83599)', before: '--probability 0.33333 ', after: '--probability 0.3333333333 ' },
  { minor: 18, what: 'SEP rules carry the service port comment', before: '-A KUBE-SEP-SXIVWICOYRO3J4NJ -s 10.180.0.1/32 -j KUBE-MARK-MASQ', after: '-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -s 10.180.0.1/32 -j KUBE-MARK-MASQ' },
  { minor: 18, what: 'KUBE-FORWARD conntrack pair without the cluster CIDR', before: '-s 10.0.0.0/8 -m comment --comment "kubernetes forwarding conntrack pod source rule"', after: '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack pod source rule" -m conntrack' },
  { minor: 19, what: 'an unnamed port is "ns/name", not "ns/name:"', before: '"ns1/unnamed: cluster IP"', after: '"ns1/unnamed cluster IP"' },
  { minor: 19, what: 'KUBE-MARK-MASQ ORs the mark; KUBE-POSTROUTING returns unmarked packets (#92035)', before: '-A KUBE-MARK-MASQ -j MARK --set-xmark 0x00004000/0x00004000', after: '-A KUBE-POSTROUTING -m mark ! --mark 0x00004000/0x00004000 -j RETURN' },
  { minor: 20, what: 'a load-balancer IP without endpoints is rejected in KUBE-EXTERNAL-SERVICES (#95252)', before: /-A KUBE-SERVICES [^\n]*5\.6\.7\.8[^\n]* -j REJECT/, after: /-A KUBE-EXTERNAL-SERVICES [^\n]*5\.6\.7\.8[^\n]* -j REJECT/ },
  { minor: 21, what: 'health-check node ports accepted in filter KUBE-NODEPORTS', before: /^(?![\s\S]*health check node port)/, after: '"ns2/lb:p80 health check node port" -m tcp -p tcp --dport 30000 -j ACCEPT' },
  { minor: 22, what: 'cluster-IP masquerade rule moves into the KUBE-SVC chain (#96959)', before: /-A KUBE-SERVICES [^\n]*172\.30\.0\.41\/32[^\n]*! -s 10\.0\.0\.0\/8 -j KUBE-MARK-MASQ/, after: /-A KUBE-SVC-XPGD46QRK7WJZT7O [^\n]*! -s 10\.0\.0\.0\/8 -j KUBE-MARK-MASQ/ },
  { minor: 23, what: 'addresses without /32', before: '-d 172.30.0.41/32 ', after: '-d 172.30.0.41 ' },
  { minor: 24, what: 'KUBE-XLB- chains become KUBE-EXT- / KUBE-SVL-', before: ':KUBE-XLB-', after: ':KUBE-SVL-' },
  { minor: 24, what: 'SVC->SEP rules name the endpoint', before: /--comment ns1\/svc1:p80 -m statistic/, after: '--comment "ns1/svc1:p80 -> 10.180.0.1:80" -m statistic' },
  { minor: 24, what: 'zone hints used under topology-aware-hints: Auto', before: '--to-destination 10.180.9.2:80', after: /^(?![\s\S]*10\.180\.9\.2)/ },
  { minor: 25, what: 'KUBE-PROXY-FIREWALL in filter', before: /^(?![\s\S]*KUBE-PROXY-FIREWALL)/, after: ':KUBE-PROXY-FIREWALL - [0:0]' },
  { minor: 26, what: 'IPv6 NodePorts leave ::1 alone (--iptables-localhost-nodeports, #108250)', family: 'v6', before: '-m addrtype --dst-type LOCAL -j KUBE-NODEPORTS', after: '-m addrtype --dst-type LOCAL ! -d ::1/128 -j KUBE-NODEPORTS' },
  { minor: 26, what: 'serving terminating endpoints are used when no endpoint is ready', before: '"ns7/term:p80 has no endpoints"', after: '--to-destination 10.180.7.1:80' },
  { minor: 27, what: 'kube-proxy writes its own KUBE-FIREWALL (#114470)', before: /^(?![\s\S]*:KUBE-FIREWALL)/, after: ':KUBE-FIREWALL - [0:0]' },
  { minor: 27, what: 'KUBE-FW ends with the counted "other traffic" rule', before: /^(?![\s\S]*other traffic to ns5\/fw:p80)/, after: '"other traffic to ns5/fw:p80 will be dropped by KUBE-PROXY-FIREWALL"' },
  { minor: 27, what: 'zone hints used under the topology-mode annotation', before: '--to-destination 10.180.10.2:80', after: /^(?![\s\S]*10\.180\.10\.2)/ },
  { minor: 29, what: 'nf_conntrack_tcp_be_liberal drops the INVALID rule', tweak: (c) => ({ ...c, conntrackTCPLiberal: true }), before: '--ctstate INVALID -j DROP', after: /^(?![\s\S]*--ctstate INVALID)/ },
  { minor: 30, what: 'ipMode Proxy ingress IPs get no rules', before: '-d 9.9.9.9 ', after: /^(?![\s\S]*9\.9\.9\.9)/ },
  { minor: 30, what: 'source ranges are parsed (host bits cleared)', before: '-s 203.0.113.1/25 ', after: '-s 203.0.113.0/25 ' },
  { minor: 31, what: 'nfacct counters on the INVALID rule', before: /^(?![\s\S]*nfacct)/, after: '-m nfacct --nfacct-name ct_state_invalid_dropped_pkts -j DROP' },
  { minor: 34, what: 'node hints (PreferSameNode) narrow the endpoints to this node\'s', before: '--to-destination 10.180.11.2:80', after: /^(?![\s\S]*10\.180\.11\.2)/ },
  { minor: 31, what: 'zone hints used without the topology-mode annotation', before: '--to-destination 10.180.8.2:80', after: /^(?![\s\S]*10\.180\.8\.2)/ },
];

const has = (text: string, m: RegExp | string) => (typeof m === 'string' ? text.includes(m) : m.test(text));

describe('version profile switches, each at the minor that changed it', () => {
  for (const c of CASES) {
    it(`1.${c.minor}: ${c.what}`, () => {
      const before = payloads(c.minor - 1, c.tweak)[c.family ?? 'v4'];
      const after = payloads(c.minor, c.tweak)[c.family ?? 'v4'];
      assert.ok(has(before, c.before), `1.${c.minor - 1} lacks ${c.before}\n${before}`);
      assert.ok(!has(before, c.after), `1.${c.minor - 1} already has ${c.after}`);
      assert.ok(has(after, c.after), `1.${c.minor} lacks ${c.after}\n${after}`);
      assert.ok(!has(after, c.before), `1.${c.minor} still has ${c.before}`);
    });
  }

  it('every change of the table is covered by a case above (or by the jump/baseline tests)', () => {
    const covered = new Set(CASES.map((c) => c.minor));
    for (const change of PROFILE_CHANGES) assert.ok(covered.has(change.since), `no case for the 1.${change.since} change`);
  });

  it('nodePortsNeedNodeAddress is read by every era\'s writer, not implied by the era', () => {
    // --nodeport-addresses matching no node address: NodePort rules exactly when the switch is off.
    const nodePortRule = /-A KUBE-NODEPORTS [^\n]*--dport 30001 /;
    for (const minor of [22, 24, 25]) {
      for (const needsAddress of [true, false]) {
        const { v4 } = payloads(minor, (c) => ({
          ...c,
          nodePortAddresses: ['10.99.0.0/16'],
          profile: { ...c.profile, switches: { ...c.profile.switches, nodePortsNeedNodeAddress: needsAddress } },
        }));
        assert.equal(nodePortRule.test(v4), !needsAddress, `1.${minor} with nodePortsNeedNodeAddress ${needsAddress}`);
      }
    }
  });

  it('the same minor always renders the same bytes', () => {
    assert.deepEqual(payloads(28), payloads(28));
  });
});

describe('--proxy-version', () => {
  it('accepts 1.X, v1.X and 1.X.Y; the default is the newest', () => {
    assert.equal(parseProxyVersion('1.20').version, '1.20');
    assert.equal(parseProxyVersion('v1.20').version, '1.20');
    assert.equal(parseProxyVersion('1.20.15').version, '1.20');
    assert.equal(parseProxyVersion(undefined).version, `1.${NEWEST_MINOR}`);
  });

  it(`models every minor from 1.${OLDEST_MINOR} to 1.${NEWEST_MINOR}`, () => {
    assert.deepEqual(
      allProfiles().map((p) => p.minor),
      Array.from({ length: NEWEST_MINOR - OLDEST_MINOR + 1 }, (_, i) => OLDEST_MINOR + i),
    );
  });

  for (const bad of ['1.15', '1.99', '2.0', 'latest', '']) {
    it(`rejects "${bad}"${bad === '' ? ' (no: empty means the default)' : ''}`, () => {
      if (bad === '') {
        assert.equal(parseProxyVersion(bad).minor, NEWEST_MINOR);
        return;
      }
      assert.throws(() => parseProxyVersion(bad), { name: 'UsageError' });
    });
  }

  it('1.16 is the walkthrough\'s era: %0.5f, unnamed-port colon, Endpoints objects', () => {
    const s = profileFor(16).switches;
    assert.equal(s.probabilityDecimals, 5);
    assert.equal(s.unnamedPortColon, true);
    assert.equal(s.endpointSource, 'endpoints');
  });
});

describe('docs/compatibility.md', () => {
  const doc = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'compatibility.md'), 'utf8');

  it('shows every switch of every profile as the code has it', () => {
    const profiles = allProfiles();
    for (const key of Object.keys(BASELINE_1_16) as (keyof typeof BASELINE_1_16)[]) {
      let prev: unknown;
      const cells = profiles.map((p) => {
        const v = p.switches[key];
        const cell = v === prev ? '·' : `**${String(v)}**`;
        prev = v;
        return cell;
      });
      assert.ok(doc.includes(`| \`${key}\` | ${cells.join(' | ')} |`), `row for ${key} is out of date`);
    }
  });

  it('names the evidence of every change', () => {
    for (const c of PROFILE_CHANGES) assert.ok(doc.includes(c.evidence), `1.${c.since}: ${c.evidence}`);
  });
});
