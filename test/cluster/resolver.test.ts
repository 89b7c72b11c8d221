// Service → Pods → endpoints, and the per-pod explanation `describe` prints.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadDemo } from '../../src/cluster/demo.js';
import { deriveEndpointSlices } from '../../src/cluster/derive.js';
import { endpointSlicesFor, explainPodEndpoints, podsForService, resolverFor, slicesFromEndpoints } from '../../src/cluster/resolver.js';
import type { Endpoints } from '../../src/cluster/types.js';
import { node, pod, service, snapshot } from './builders.js';

const web = service('web');

const legacy: Endpoints = {
  apiVersion: 'v1',
  kind: 'Endpoints',
  metadata: { name: 'web', namespace: 'shop' },
  subsets: [
    {
      addresses: [{ ip: '10.0.0.1', nodeName: 'node-a', targetRef: { kind: 'Pod', name: 'web-1', namespace: 'shop' } }],
      notReadyAddresses: [{ ip: '10.0.0.2', targetRef: { kind: 'Pod', name: 'web-2', namespace: 'shop' } }],
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    },
  ],
};

describe('podsForService', () => {
  it('selects pods of the same namespace whose labels include the selector', () => {
    const s = snapshot({
      pods: [
        pod('web-1'),
        pod('other-ns', { namespace: 'prod' }),
        pod('api-1', { labels: { app: 'api' } }),
        pod('web-canary', { labels: { app: 'web', track: 'canary' } }),
      ],
    });
    assert.deepEqual(podsForService(s, web).map((p) => p.metadata?.name), ['web-1', 'web-canary']);
  });

  it('selects nothing for a service without a selector', () => {
    assert.deepEqual(podsForService(snapshot({ pods: [pod('web-1')] }), service('web', { selector: undefined })), []);
  });
});

describe('endpointSlicesFor', () => {
  const real = deriveEndpointSlices(web, [pod('web-9', { ip: '10.0.0.9' })], undefined);

  it('prefers the EndpointSlices labelled with the service name', () => {
    const r = endpointSlicesFor(snapshot({ endpointSlices: real, endpoints: [legacy], pods: [pod('web-1')] }), web);
    assert.equal(r.source, 'EndpointSlice');
    assert.deepEqual(r.slices, real);
  });

  it('else mirrors the Endpoints object: addresses ready, notReadyAddresses not', () => {
    const r = endpointSlicesFor(snapshot({ endpoints: [legacy], pods: [pod('web-1')] }), web);
    assert.equal(r.source, 'Endpoints');
    assert.deepEqual(
      r.slices[0]!.endpoints.map((e) => [e.addresses[0], e.conditions?.ready]),
      [
        ['10.0.0.1', true],
        ['10.0.0.2', false],
      ],
    );
    assert.deepEqual(r.slices, slicesFromEndpoints(legacy));
  });

  it('else derives them from the Pods when the snapshot holds Pods', () => {
    const r = endpointSlicesFor(snapshot({ pods: [pod('web-1'), pod('web-2', { ip: '10.0.0.2', ready: false })] }), web);
    assert.equal(r.source, 'derived');
    assert.deepEqual(r.slices[0]!.endpoints.map((e) => [e.addresses[0], e.conditions?.ready]), [
      ['10.0.0.1', true],
      ['10.0.0.2', false],
    ]);
  });

  it('derives an empty placeholder when Pods are known but none is selected', () => {
    const r = endpointSlicesFor(snapshot({ pods: [pod('api-1', { labels: { app: 'api' } })] }), web);
    assert.equal(r.source, 'derived');
    assert.deepEqual(r.slices[0]!.endpoints, []);
  });

  it('has none when the snapshot holds no Pods, and none for ExternalName or selector-less services', () => {
    assert.deepEqual(endpointSlicesFor(snapshot({}), web), { slices: [], source: 'none' });
    const s = snapshot({ pods: [pod('web-1')] });
    assert.equal(endpointSlicesFor(s, service('web', { type: 'ExternalName', externalName: 'x.example.com' })).source, 'none');
    assert.equal(endpointSlicesFor(s, service('web', { selector: undefined })).source, 'none');
  });

  it('uses the Nodes of the snapshot for the node check and zones', () => {
    const s = snapshot({ pods: [pod('web-1'), pod('web-2', { ip: '10.0.0.2', node: 'gone' })], nodes: [node('node-a', 'zone-1')] });
    const r = endpointSlicesFor(s, web);
    assert.deepEqual(r.slices[0]!.endpoints.map((e) => [e.addresses[0], e.zone]), [['10.0.0.1', 'zone-1']]);
  });
});

describe('explainPodEndpoints', () => {
  const explain = (parts: Parameters<typeof snapshot>[0], svc = web) =>
    explainPodEndpoints(snapshot(parts), svc).map((e) => ({
      pod: e.pod.metadata?.name,
      endpoint: e.endpoint,
      ready: e.ready,
      reasons: e.reasons.map((r) => `${r.code}: ${r.message}`),
    }));

  it('says why each selected pod is or is not a ready endpoint (derived slices)', () => {
    const rows = explain({
      pods: [
        pod('ready'),
        pod('starting', { ip: '10.0.0.2', ready: false }),
        pod('stopping', { ip: '10.0.0.3', deleting: true }),
        pod('pending', { ip: null, phase: 'Pending', ready: null }),
        pod('done', { ip: '10.0.0.5', phase: 'Succeeded', ready: false }),
      ],
    });
    assert.deepEqual(rows, [
      { pod: 'ready', endpoint: true, ready: true, reasons: [] },
      { pod: 'starting', endpoint: true, ready: false, reasons: ['not-ready: Ready condition is False (ContainersNotReady)'] },
      { pod: 'stopping', endpoint: true, ready: false, reasons: ['terminating: terminating (deletion requested at 2025-03-02T10:00:00Z)'] },
      { pod: 'pending', endpoint: false, ready: false, reasons: ['no-ip: no IP yet (phase Pending)'] },
      { pod: 'done', endpoint: false, ready: false, reasons: ['terminal: pod phase is Succeeded'] },
    ]);
  });

  it('names the service port a pod cannot serve', () => {
    const svc = service('web', { ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'web' }] });
    const [row] = explain({ pods: [pod('web-1')] }, svc);
    assert.deepEqual(row, {
      pod: 'web-1',
      endpoint: true,
      ready: true,
      reasons: ['port-not-found: targetPort "web" of port "http" matches no TCP container port'],
    });
  });

  it('reads readiness from real slices, and notices a pod they do not list', () => {
    const real = deriveEndpointSlices(web, [pod('web-1')], undefined);
    const rows = explain({ endpointSlices: real, pods: [pod('web-1'), pod('web-new', { ip: '10.0.0.7' })] });
    assert.deepEqual(rows[1], {
      pod: 'web-new',
      endpoint: false,
      ready: false,
      reasons: ["not-in-slices: not in the service's EndpointSlices (they may predate the pod)"],
    });
  });

  it('reads readiness from mirrored Endpoints (notReadyAddresses)', () => {
    const rows = explain({ endpoints: [legacy], pods: [pod('web-1'), pod('web-2', { ip: '10.0.0.2', ready: false })] });
    assert.deepEqual(rows.map((r) => [r.pod, r.endpoint, r.ready]), [
      ['web-1', true, true],
      ['web-2', true, false],
    ]);
  });

  it('reports the endpoint ports a pod carries', () => {
    const [e] = explainPodEndpoints(snapshot({ pods: [pod('web-1')] }), web);
    assert.deepEqual(e!.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
  });
});

describe('resolverFor (many services of one snapshot, indexed)', () => {
  it('answers as podsForService, endpointSlicesFor and explainPodEndpoints do, for every way of resolving', async () => {
    const demo = await loadDemo();
    const api = service('api', { selector: { app: 'web', tier: 'api' } });
    const cases = [
      demo,
      { ...demo, endpointSlices: [] }, // mirrored from Endpoints
      { ...demo, endpointSlices: [], endpoints: [] }, // derived from Pods
      snapshot({
        services: [web, api, service('empty', { selector: undefined }), service('other', {}, { namespace: 'other' })],
        endpoints: [legacy],
        pods: [pod('web-1'), pod('web-2', { ip: '10.0.0.2', labels: { app: 'web', tier: 'api' } }), pod('web-3', { namespace: 'other' })],
        nodes: [node('node-a')],
      }),
    ];
    for (const s of cases) {
      const resolver = resolverFor(s);
      for (const svc of s.services) {
        const what = `${svc.metadata?.namespace}/${svc.metadata?.name}`;
        assert.deepEqual(resolver.podsFor(svc), podsForService(s, svc), what);
        assert.deepEqual(resolver.slicesFor(svc), endpointSlicesFor(s, svc), what);
        assert.deepEqual(resolver.explainPods(svc), explainPodEndpoints(s, svc), what);
      }
    }
  });
});
