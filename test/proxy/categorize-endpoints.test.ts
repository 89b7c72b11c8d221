// Which endpoints a node uses for a service port (CategorizeEndpoints, pkg/proxy/topology.go):
// kube-proxy's own TestCategorizeEndpoints tables of two eras, ported as data, plus svctrace's
// cases for the annotation rules of 1.27-1.30 and the node hints of 1.34
// (test/fixtures/proxy/categorize/). Each case is judged the way the Go test judges it.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { categorizeEndpoints } from '../../src/proxy/endpoints.js';
import type { EndpointInfo, ServicePortInfo } from '../../src/proxy/model.js';
import { parseProxyVersion } from '../../src/proxy/profiles.js';
import { FIXTURES } from './support/fake-proxier.js';

interface CaseEndpoint {
  endpoint: string;
  zoneHints?: string[];
  nodeHints?: string[];
  ready?: boolean;
  serving?: boolean;
  terminating?: boolean;
  isLocal?: boolean;
}

interface Case {
  name: string;
  profile: string;
  nodeName?: string;
  zone?: string;
  service: { hintsAnnotation?: string; internalPolicyLocal?: boolean; externalPolicyLocal?: boolean; nodePort?: number };
  endpoints: CaseEndpoint[];
  cluster: string[] | null;
  local: string[] | null;
  all?: string[];
  onlyRemote?: boolean;
}

const DIR = join(FIXTURES, 'proxy', 'categorize');

function servicePort(s: Case['service']): ServicePortInfo {
  return {
    namespace: 'ns',
    name: 'svc',
    portName: 'p80',
    protocol: 'tcp',
    nameString: 'ns/svc:p80',
    chains: { svc: 'KUBE-SVC-TEST', svl: 'KUBE-SVL-TEST', ext: 'KUBE-EXT-TEST', fw: 'KUBE-FW-TEST', xlb: 'KUBE-XLB-TEST' },
    clusterIP: '172.30.0.1',
    port: 80,
    nodePort: s.nodePort ?? 0,
    externalIPs: [],
    loadBalancerVIPs: [],
    sourceRanges: [],
    externalPolicyLocal: s.externalPolicyLocal ?? false,
    internalPolicyLocal: s.internalPolicyLocal ?? false,
    healthCheckNodePort: 0,
    ...(s.hintsAnnotation !== undefined ? { topologyAnnotation: s.hintsAnnotation } : {}),
  };
}

// BaseEndpointInfo: an unset field is Go's zero value.
const endpointInfo = (e: CaseEndpoint): EndpointInfo => {
  const [ip, port] = [e.endpoint.slice(0, e.endpoint.lastIndexOf(':')), Number(e.endpoint.slice(e.endpoint.lastIndexOf(':') + 1))];
  return {
    ip,
    port,
    endpoint: e.endpoint,
    chain: `KUBE-SEP-${e.endpoint}`,
    isLocal: e.isLocal ?? false,
    ready: e.ready ?? false,
    serving: e.serving ?? false,
    terminating: e.terminating ?? false,
    zoneHints: e.zoneHints ?? [],
    nodeHints: e.nodeHints ?? [],
  };
};

const sorted = (xs: readonly string[]) => [...xs].sort();

for (const file of readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort()) {
  const { source, cases } = parse(readFileSync(join(DIR, file), 'utf8')) as { source: string; cases: Case[] };
  describe(`CategorizeEndpoints: ${file} (${source})`, () => {
    for (const tc of cases) {
      it(`${tc.profile}: ${tc.name}`, () => {
        const sw = parseProxyVersion(tc.profile).switches;
        const got = categorizeEndpoints(servicePort(tc.service), tc.endpoints.map(endpointInfo), sw, {
          name: tc.nodeName ?? 'node-a',
          zone: tc.zone,
        });
        const ids = (xs: readonly EndpointInfo[]) => sorted(xs.map((e) => e.endpoint));
        // null: the service does not use this kind of endpoints, so the list stays empty.
        assert.deepEqual(ids(got.cluster), sorted(tc.cluster ?? []), 'cluster endpoints');
        assert.deepEqual(ids(got.local), sorted(tc.local ?? []), 'local endpoints');
        const expectedAll = tc.cluster !== null && tc.local === null ? tc.cluster : tc.local !== null && tc.cluster === null ? tc.local : tc.all!;
        assert.deepEqual(ids(got.reachable), sorted(expectedAll), 'all reachable endpoints');
        assert.equal(got.hasAnyEndpoints, expectedAll.length > 0 || tc.onlyRemote === true, 'hasAnyEndpoints');
      });
    }
  });
}

describe('CategorizeEndpoints fixtures', () => {
  it('port both upstream tables whole (26 and 36 cases)', () => {
    const count = (f: string) => (parse(readFileSync(join(DIR, f), 'utf8')) as { cases: Case[] }).cases.length;
    assert.equal(count('topology-1.32.yaml'), 26);
    assert.equal(count('topology-1.25-1.26.yaml'), 36);
  });
});
