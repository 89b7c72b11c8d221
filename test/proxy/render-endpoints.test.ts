// The renderer takes each service's endpoints from the resolver, so the rules balance over the
// very endpoints `describe` lists in its Endpoints section, whatever the snapshot holds:
// EndpointSlices, legacy Endpoints (the first object of a name, when files repeat one), or
// only Pods (the slices the controller would derive).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { endpointSlicesFor } from '../../src/cluster/resolver.js';
import type { KubeObject, Service } from '../../src/cluster/types.js';
import { renderNode } from '../../src/proxy/render.js';
import { fakeProxierConfig, snapshotOf } from './support/fake-proxier.js';

const config = fakeProxierConfig({ era: '1.33', version: '1.33' });
const web: KubeObject = {
  apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'ns1', name: 'web' },
  spec: { clusterIP: '172.30.0.41', selector: { app: 'web' }, ports: [{ name: 'p80', port: 80, protocol: 'TCP', targetPort: 8080 }] },
};
const endpoints = (ip: string): KubeObject => ({
  apiVersion: 'v1', kind: 'Endpoints', metadata: { namespace: 'ns1', name: 'web' },
  subsets: [{ addresses: [{ ip }], ports: [{ name: 'p80', port: 8080, protocol: 'TCP' }] }],
});
const pod = (name: string, ip: string, app = 'web'): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'ns1', name, labels: { app } },
  spec: { nodeName: 'test-node', containers: [{ name: 'app', ports: [{ containerPort: 8080, protocol: 'TCP' }] }] },
  status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: 'True' }] },
});

/** The "ip:port" the rules balance over, and those describe's resolver lists, for ns1/web. */
function both(objects: KubeObject[]): { rendered: string[]; resolved: string[] } {
  const snapshot = snapshotOf(objects);
  const rendered = renderNode(snapshot, config).families[0]!.servicePorts[0]!.endpoints.map((e) => e.endpoint);
  const service = snapshot.services[0] as Service;
  const resolved = endpointSlicesFor(snapshot, service).slices.flatMap((s) => s.endpoints.map((e) => `${e.addresses[0]}:${s.ports?.[0]?.port}`));
  return { rendered, resolved };
}

describe('renderer endpoints: the resolver\'s', () => {
  it('two Endpoints objects of one name (the same object in two -f files): the first, as describe shows', () => {
    const { rendered, resolved } = both([web, endpoints('10.0.1.1'), endpoints('10.0.1.2')]);
    assert.deepEqual(resolved, ['10.0.1.1:8080']);
    assert.deepEqual(rendered, resolved);
  });

  it('only Pods: the slices the controller would derive', () => {
    const { rendered, resolved } = both([web, pod('web-b', '10.0.2.2'), pod('web-a', '10.0.2.1'), pod('db', '10.0.2.3', 'db')]);
    assert.deepEqual(resolved, ['10.0.2.1:8080', '10.0.2.2:8080']);
    assert.deepEqual(rendered, resolved);
  });
});
