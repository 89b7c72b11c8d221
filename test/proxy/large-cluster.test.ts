// Large-cluster mode, ported from kube-proxy's TestSyncProxyRulesLargeClusterMode
// (pkg/proxy/iptables/proxier_test.go, ~1.28-1.33; the test's inputs rebuilt the way its Go code
// builds them): above 1000 endpoints on the node, kube-proxy drops the comments from SEP rules.
// masqueradeAll is set, as in the test.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../src/cluster/types.js';
import { renderNode } from '../../src/proxy/render.js';
import { fakeProxierConfig, snapshotOf } from './support/fake-proxier.js';

const THRESHOLD = 1000; // largeClusterEndpointsThreshold

const service = (ns: string, name: string, ip: string, port: number): KubeObject => ({
  apiVersion: 'v1', kind: 'Service', metadata: { namespace: ns, name },
  spec: { type: 'ClusterIP', clusterIP: ip, ports: [{ name: `p${port}`, port, protocol: 'TCP' }] },
});
const slice = (ns: string, name: string, port: number, addresses: string[]): KubeObject => ({
  apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
  metadata: { namespace: ns, name: `${name}-1`, labels: { 'kubernetes.io/service-name': name } },
  addressType: 'IPv4', endpoints: addresses.map((a) => ({ addresses: [a] })), ports: [{ name: `p${port}`, port, protocol: 'TCP' }],
});
// fmt.Sprintf("10.0.%d.%d", i%256, i/256) for i < largeClusterEndpointsThreshold/2-1
const half = (second: number) => Array.from({ length: THRESHOLD / 2 - 1 }, (_, i) => `10.${second}.${i % 256}.${Math.floor(i / 256)}`);

const BASE = [
  service('ns1', 'svc1', '172.30.0.41', 80), service('ns2', 'svc2', '172.30.0.42', 8080), service('ns3', 'svc3', '172.30.0.43', 8081),
  slice('ns1', 'svc1', 80, half(0)), slice('ns2', 'svc2', 8080, half(1)),
];
const SVC3 = slice('ns3', 'svc3', 8081, ['203.0.113.4', '203.0.113.8', '203.0.113.12']);

/** countEndpointsAndComments of the test: the DNAT rule for `match`, DNAT rules, and those with comments. */
function countEndpointsAndComments(payload: string, match: string) {
  let matched = '';
  let endpoints = 0;
  let comments = 0;
  for (const line of payload.split('\n')) {
    if (line.startsWith('-A KUBE-SEP-') && line.includes('-j DNAT')) {
      endpoints++;
      if (line.includes('--comment')) comments++;
      if (line.includes(match)) matched = line;
    }
  }
  return { matched, endpoints, comments };
}

const payload = (objects: KubeObject[]) =>
  renderNode(snapshotOf(objects), fakeProxierConfig({ era: '1.33', version: '1.33', masqueradeAll: true })).families[0]!.payload;

describe('large-cluster mode (TestSyncProxyRulesLargeClusterMode)', () => {
  it('998 endpoints: every SEP rule keeps its comment', () => {
    const r = countEndpointsAndComments(payload(BASE), '10.0.0.0');
    assert.equal(r.matched, '-A KUBE-SEP-DKGQUZGBKLTPAR56 -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.0.0.0:80');
    assert.equal(r.endpoints, 2 * (THRESHOLD / 2 - 1));
    assert.equal(r.comments, r.endpoints);
  });

  it('1001 endpoints: no SEP rule has a comment, on every service (full sync)', () => {
    const text = payload([...BASE, SVC3]);
    const first = countEndpointsAndComments(text, '10.0.0.0');
    assert.equal(first.matched, '-A KUBE-SEP-DKGQUZGBKLTPAR56 -m tcp -p tcp -j DNAT --to-destination 10.0.0.0:80');
    assert.equal(first.endpoints, 2 * (THRESHOLD / 2 - 1) + 3);
    assert.equal(first.comments, 0);
    assert.equal(countEndpointsAndComments(text, '203.0.113.4').matched, '-A KUBE-SEP-RUVVH7YV3PHQBDOS -m tcp -p tcp -j DNAT --to-destination 203.0.113.4:8081');
  });

  it("a fourth service's endpoint in large-cluster mode", () => {
    const text = payload([...BASE, SVC3, service('ns4', 'svc4', '172.30.0.44', 8082), slice('ns4', 'svc4', 8082, ['10.4.0.1'])]);
    assert.equal(countEndpointsAndComments(text, '10.4.0.1').matched, '-A KUBE-SEP-SU5STNODRYEWJAUF -m tcp -p tcp -j DNAT --to-destination 10.4.0.1:8082');
  });

  it('the threshold counts endpoints of every service, also those not shown (rules -n)', () => {
    const objects = [...BASE, SVC3];
    const r = renderNode(snapshotOf(objects), fakeProxierConfig({ era: '1.33', version: '1.33' }), { include: (s) => s.metadata?.namespace === 'ns3' });
    assert.equal(r.families[0]!.largeCluster, true);
    assert.equal(countEndpointsAndComments(r.families[0]!.payload, '203.0.113.4').comments, 0);
  });
});
