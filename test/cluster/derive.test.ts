// EndpointSlices derived from Pods as the EndpointSlice controller writes them. Expectations
// come from kubernetes/kubernetes staging/src/k8s.io/endpointslice: utils.go (podToEndpoint,
// getEndpointPorts, FindPort, getAddressTypesForService, setEndpointSliceLabels),
// reconciler.go (grouping by port set, the node check, placeholder slices, 100 per slice) and
// util/controller_utils.go (ShouldPodBeInEndpoints).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressTypesFor, deriveEndpointSlices, findPort, planPodEndpoint } from '../../src/cluster/derive.js';
import type { EndpointSlice } from '../../src/cluster/types.js';
import { node, pod, service } from './builders.js';

const web = service('web');
/** Each endpoint as "address ready/serving/terminating". */
const summary = (slices: EndpointSlice[]) =>
  slices.flatMap((s) =>
    s.endpoints.map((e) => `${e.addresses.join('+')} ${e.conditions?.ready}/${e.conditions?.serving}/${e.conditions?.terminating}`),
  );

describe('deriveEndpointSlices: which pods, with which conditions', () => {
  it('a ready pod is ready and serving, not terminating, with the pod as targetRef and its node', () => {
    const [slice] = deriveEndpointSlices(web, [pod('web-1', { ip: '10.0.0.5' })], undefined);
    assert.deepEqual(slice!.endpoints, [
      {
        addresses: ['10.0.0.5'],
        conditions: { ready: true, serving: true, terminating: false },
        targetRef: { kind: 'Pod', namespace: 'shop', name: 'web-1', uid: 'uid-pod-web-1' },
        nodeName: 'node-a',
      },
    ]);
    assert.deepEqual(slice!.ports, [{ name: 'http', protocol: 'TCP', port: 8080 }]);
    assert.equal(slice!.addressType, 'IPv4');
  });

  it('a pod that is not ready is listed, not ready and not serving', () => {
    const slices = deriveEndpointSlices(web, [pod('web-1', { ready: false }), pod('web-2', { ip: '10.0.0.2', ready: null })], undefined);
    assert.deepEqual(summary(slices), ['10.0.0.1 false/false/false', '10.0.0.2 false/false/false']);
  });

  it('a terminating pod is not ready but still serving while its Ready condition holds', () => {
    const slices = deriveEndpointSlices(web, [pod('web-1', { deleting: true }), pod('web-2', { ip: '10.0.0.2', deleting: true, ready: false })], undefined);
    assert.deepEqual(summary(slices), ['10.0.0.1 false/true/true', '10.0.0.2 false/false/true']);
  });

  it('publishNotReadyAddresses makes every listed pod ready, terminating or not', () => {
    const svc = service('web', { publishNotReadyAddresses: true });
    const slices = deriveEndpointSlices(svc, [pod('web-1', { ready: false }), pod('web-2', { ip: '10.0.0.2', deleting: true })], undefined);
    assert.deepEqual(summary(slices), ['10.0.0.1 true/false/false', '10.0.0.2 true/true/true']);
  });

  it('skips pods without an IP and pods in a terminal phase', () => {
    const pods = [
      pod('pending', { ip: null, phase: 'Pending', ready: null }),
      pod('done', { ip: '10.0.0.3', phase: 'Succeeded', ready: false }),
      pod('failed', { ip: '10.0.0.4', phase: 'Failed', ready: false }),
      pod('ok', { ip: '10.0.0.5' }),
    ];
    assert.deepEqual(summary(deriveEndpointSlices(web, pods, undefined)), ['10.0.0.5 true/true/false']);
    assert.deepEqual(
      pods.map((p) => planPodEndpoint(web, p, undefined).exclusion?.code),
      ['no-ip', 'terminal', 'terminal', undefined],
    );
  });

  it('reads status.podIP when podIPs is missing, as the API server fills podIPs in', () => {
    const p = pod('old', { ip: '10.0.0.9' });
    delete p.status!.podIPs;
    assert.deepEqual(summary(deriveEndpointSlices(web, [p], undefined)), ['10.0.0.9 true/true/false']);
  });

  it('orders endpoints by address, numerically', () => {
    const pods = ['10.0.0.10', '10.0.0.9', '10.0.1.1'].map((ip, i) => pod(`web-${i}`, { ip }));
    assert.deepEqual(deriveEndpointSlices(web, pods, undefined)[0]!.endpoints.map((e) => e.addresses[0]), ['10.0.0.9', '10.0.0.10', '10.0.1.1']);
  });

  it('puts at most 100 endpoints in a slice', () => {
    const pods = Array.from({ length: 250 }, (_, i) => pod(`web-${i}`, { ip: `10.0.${Math.floor(i / 200)}.${(i % 200) + 1}` }));
    const slices = deriveEndpointSlices(web, pods, undefined);
    assert.deepEqual(slices.map((s) => s.endpoints.length), [100, 100, 50]);
    assert.equal(new Set(slices.map((s) => s.metadata?.name)).size, 3);
  });
});

describe('deriveEndpointSlices: ports', () => {
  const named = service('web', { ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }] });

  it('resolves a named targetPort through the container ports of each pod', () => {
    const pods = [pod('web-1', { ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] }), pod('web-2', { ip: '10.0.0.2', ports: [{ name: 'http', containerPort: 9090 }] })];
    const slices = deriveEndpointSlices(named, pods, undefined);
    // Different port numbers: one slice per port set.
    assert.deepEqual(
      slices.map((s) => [s.ports?.map((p) => p.port), s.endpoints.map((e) => e.addresses[0])]),
      [
        [[8080], ['10.0.0.1']],
        [[9090], ['10.0.0.2']],
      ],
    );
  });

  it('matches the port name and the protocol', () => {
    const udpOnly = pod('web-1', { ports: [{ name: 'http', containerPort: 8080, protocol: 'UDP' }] });
    assert.equal(findPort(udpOnly, { name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }), undefined);
    assert.equal(findPort(udpOnly, { name: 'http', port: 80, protocol: 'UDP', targetPort: 'http' }), 8080);
  });

  it("finds a named port on a sidecar (an init container with restartPolicy Always)", () => {
    const p = pod('web-1', { ports: [], sidecarPorts: [{ name: 'http', containerPort: 15001, protocol: 'TCP' }] });
    assert.equal(findPort(p, { port: 80, protocol: 'TCP', targetPort: 'http' }), 15001);
  });

  it('defaults targetPort to the port, and the protocol to TCP', () => {
    assert.equal(findPort(pod('p'), { port: 5432 }), 5432);
    const svc = service('web', { ports: [{ port: 5432 }] });
    assert.deepEqual(deriveEndpointSlices(svc, [pod('p')], undefined)[0]!.ports, [{ name: '', protocol: 'TCP', port: 5432 }]);
  });

  it('a pod lacking a named port is still an endpoint, in a slice without that port', () => {
    const svc = service('web', {
      ports: [
        { name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' },
        { name: 'admin', port: 9000, protocol: 'TCP', targetPort: 'admin' },
      ],
    });
    const both = pod('both', { ports: [{ name: 'http', containerPort: 8080 }, { name: 'admin', containerPort: 9000 }] });
    const httpOnly = pod('http-only', { ip: '10.0.0.2', ports: [{ name: 'http', containerPort: 8080 }] });
    const slices = deriveEndpointSlices(svc, [both, httpOnly], undefined);
    assert.deepEqual(
      slices.map((s) => [s.ports?.map((p) => `${p.name}:${p.port}`), s.endpoints.map((e) => e.addresses[0])]),
      [
        [['http:8080', 'admin:9000'], ['10.0.0.1']],
        [['http:8080'], ['10.0.0.2']],
      ],
    );
    assert.deepEqual(planPodEndpoint(svc, httpOnly, undefined).missingPorts, [{ name: 'admin', targetPort: 'admin', protocol: 'TCP' }]);
  });
});

describe('deriveEndpointSlices: address types', () => {
  it('uses spec.ipFamilies: IPv6 addresses written as Go prints them', () => {
    const svc = service('web', { clusterIP: 'fd00:30::10', ipFamilies: ['IPv6'] });
    const [slice] = deriveEndpointSlices(svc, [pod('web-1', { ip: ['10.0.0.1', 'FD00:0:0:0::A'] })], undefined);
    assert.equal(slice!.addressType, 'IPv6');
    assert.deepEqual(slice!.endpoints[0]!.addresses, ['fd00::a']);
  });

  it('writes one slice per family for a dual-stack service', () => {
    const svc = service('web', { ipFamilies: ['IPv4', 'IPv6'] });
    const slices = deriveEndpointSlices(svc, [pod('web-1', { ip: ['10.0.0.1', 'fd00::1'] })], undefined);
    assert.deepEqual(slices.map((s) => [s.addressType, s.endpoints[0]!.addresses[0]]), [
      ['IPv4', '10.0.0.1'],
      ['IPv6', 'fd00::1'],
    ]);
  });

  it('an IPv4-only pod gives an IPv6 service nothing, and says why', () => {
    const svc = service('web', { clusterIP: 'fd00:30::10', ipFamilies: ['IPv6'] });
    const p = pod('web-1', { ip: '10.0.0.1' });
    const [placeholder] = deriveEndpointSlices(svc, [p], undefined);
    assert.deepEqual(placeholder!.endpoints, []);
    assert.equal(planPodEndpoint(svc, p, undefined).exclusion?.code, 'no-address-in-family');
  });

  it('without ipFamilies, takes the family of the ClusterIP; a headless service gets both', () => {
    assert.deepEqual(addressTypesFor(service('a', { ipFamilies: undefined, clusterIP: 'fd00::10' })), ['IPv6']);
    assert.deepEqual(addressTypesFor(service('a', { ipFamilies: undefined, clusterIP: '172.30.0.1' })), ['IPv4']);
    assert.deepEqual(addressTypesFor(service('a', { ipFamilies: undefined, clusterIP: 'None' })), ['IPv4', 'IPv6']);
  });
});

describe('deriveEndpointSlices: nodes, zones, hostnames', () => {
  it('takes the zone from the node topology label when Nodes are known', () => {
    const [slice] = deriveEndpointSlices(web, [pod('web-1')], [node('node-a', 'zone-1')]);
    assert.equal(slice!.endpoints[0]!.zone, 'zone-1');
  });

  it('skips a pod whose node is not among the known Nodes, unless not-ready addresses are published', () => {
    const p = pod('web-1', { node: 'gone' });
    assert.deepEqual(deriveEndpointSlices(web, [p], [node('node-a')])[0]!.endpoints, []);
    assert.equal(planPodEndpoint(web, p, [node('node-a')]).exclusion?.message, 'node "gone" not found');
    const publish = service('web', { publishNotReadyAddresses: true });
    assert.equal(deriveEndpointSlices(publish, [p], [node('node-a')])[0]!.endpoints.length, 1);
  });

  it('sets hostname when the pod names the service as its subdomain', () => {
    const [slice] = deriveEndpointSlices(web, [pod('web-0', { hostname: 'web-0', subdomain: 'web' }), pod('x', { ip: '10.0.0.2', hostname: 'x', subdomain: 'other' })], undefined);
    assert.equal(slice!.endpoints[0]!.hostname, 'web-0');
    assert.equal(slice!.endpoints[1]!.hostname, undefined);
  });
});

describe('deriveEndpointSlices: trafficDistribution hints (trafficdist.ReconcileHints)', () => {
  const nodes = [node('node-a', 'zone-1'), node('node-b', 'zone-2'), node('node-c')];
  const pods = [
    pod('web-1', { ip: '10.0.0.1', node: 'node-a' }),
    pod('web-2', { ip: '10.0.0.2', node: 'node-b', ready: false }),
    pod('web-3', { ip: '10.0.0.3', node: 'node-c' }),
  ];
  const hints = (svc: ReturnType<typeof service>) => deriveEndpointSlices(svc, pods, nodes)[0]!.endpoints.map((e) => e.hints);

  it('PreferClose and PreferSameZone hint the zone of each ready endpoint that has one', () => {
    for (const distribution of ['PreferClose', 'PreferSameZone']) {
      assert.deepEqual(hints(service('web', { trafficDistribution: distribution })), [{ forZones: [{ name: 'zone-1' }] }, undefined, undefined], distribution);
    }
  });

  it('PreferSameNode hints the zone and the node, zone first as EndpointHints orders them', () => {
    const got = hints(service('web', { trafficDistribution: 'PreferSameNode' }));
    assert.deepEqual(got, [{ forZones: [{ name: 'zone-1' }], forNodes: [{ name: 'node-a' }] }, undefined, { forNodes: [{ name: 'node-c' }] }]);
    assert.deepEqual(Object.keys(got[0]!), ['forZones', 'forNodes']);
  });

  it('no hints without trafficDistribution, for an unknown value, or under the topology Auto annotation', () => {
    assert.deepEqual(hints(service('web')), [undefined, undefined, undefined]);
    assert.deepEqual(hints(service('web', { trafficDistribution: 'Elsewhere' })), [undefined, undefined, undefined]);
    for (const annotation of ['service.kubernetes.io/topology-mode', 'service.kubernetes.io/topology-aware-hints']) {
      const svc = service('web', { trafficDistribution: 'PreferClose' }, { annotations: { [annotation]: 'Auto' } });
      assert.deepEqual(hints(svc), [undefined, undefined, undefined], annotation);
    }
    const disabled = service('web', { trafficDistribution: 'PreferClose' }, { annotations: { 'service.kubernetes.io/topology-mode': 'Disabled' } });
    assert.deepEqual(hints(disabled)[0], { forZones: [{ name: 'zone-1' }] });
  });
});

describe('deriveEndpointSlices: the slice objects', () => {
  it("carry the service's labels plus the controller's, and the service as controlling owner", () => {
    const [slice] = deriveEndpointSlices(web, [pod('web-1')], undefined);
    assert.equal(slice!.metadata!.namespace, 'shop');
    assert.match(slice!.metadata!.name!, /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.equal(slice!.metadata!.generateName, 'web-');
    assert.deepEqual(slice!.metadata!.labels, {
      app: 'web',
      'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
      'kubernetes.io/service-name': 'web',
    });
    assert.deepEqual(slice!.metadata!.ownerReferences, [
      { apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'uid-svc-web', controller: true, blockOwnerDeletion: true },
    ]);
  });

  it('are labelled headless for a service without a ClusterIP', () => {
    const [slice] = deriveEndpointSlices(service('web', { clusterIP: 'None', ipFamilies: ['IPv4'] }), [pod('web-1')], undefined);
    assert.equal(slice!.metadata!.labels!['service.kubernetes.io/headless'], '');
  });

  it('leave an empty placeholder slice when no pod qualifies', () => {
    const slices = deriveEndpointSlices(web, [], undefined);
    assert.equal(slices.length, 1);
    assert.deepEqual([slices[0]!.endpoints, slices[0]!.ports], [[], []]);
  });

  it('are the same on every run', () => {
    const pods = [pod('web-1'), pod('web-2', { ip: '10.0.0.2' })];
    assert.deepEqual(deriveEndpointSlices(web, pods, undefined), deriveEndpointSlices(web, pods, undefined));
  });

  it('are none for ExternalName services and services without a selector', () => {
    assert.deepEqual(deriveEndpointSlices(service('ext', { type: 'ExternalName', externalName: 'db.example.com' }), [pod('web-1')], undefined), []);
    assert.deepEqual(deriveEndpointSlices(service('web', { selector: undefined }), [pod('web-1')], undefined), []);
  });
});
