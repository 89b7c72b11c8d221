import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Service } from '../../src/cluster/types.js';
import { describeService, formatEndpointSlices } from '../../src/output/describe-service.js';
import type { EndpointSlice } from '../../src/cluster/types.js';
import { endpointSlice, service, sliceEndpoint, wire } from '../helpers/objects.js';
import { DJANGO_DESCRIBE } from '../helpers/walkthrough-describe.js';

// Expected texts follow describe.go's describeService line by line, laid out by tabwriter
// (0, 8, 2): the label column is as wide as the longest label plus 2.
const pad = (width: number) => (label: string) => label.padEnd(width);

// The walkthrough's `oc get service django-psql-example -o yaml` (test-services).
const django: Service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: {
    annotations: {
      description: 'Exposes and load balances the application pods',
      'openshift.io/generated-by': 'OpenShiftNewApp',
      'service.alpha.openshift.io/dependencies': '[{"name": "postgresql", "kind": "Service"}]',
    },
    creationTimestamp: '2020-09-05T22:42:16Z',
    labels: { app: 'django-psql-example', template: 'django-psql-example' },
    name: 'django-psql-example',
    namespace: 'test-services',
  },
  spec: {
    clusterIP: '172.30.85.132',
    ports: [{ name: 'web', port: 8080, protocol: 'TCP', targetPort: 8080 }],
    selector: { name: 'django-psql-example' },
    sessionAffinity: 'None',
    type: 'ClusterIP',
  },
  status: { loadBalancer: {} },
};
const djangoSlice = endpointSlice({
  service: 'django-psql-example',
  namespace: 'test-services',
  ports: [{ name: 'web', port: 8080, protocol: 'TCP' }],
  endpoints: [sliceEndpoint('10.254.4.24'), sliceEndpoint('10.254.5.61'), sliceEndpoint('10.254.5.66')],
});

describe('describeService (kubectl describe service)', () => {
  it('prints a ClusterIP service: labels and annotations one per line, the named port and its endpoints', () => {
    assert.equal(describeService(django, [djangoSlice]), DJANGO_DESCRIBE);
  });

  it('prints a NodePort service with an unnamed port as <unset>, its node port and traffic policy', () => {
    const svc = service({
      name: 'django-psql-example',
      namespace: 'test-nodeport',
      spec: { clusterIP: '172.30.191.202', externalTrafficPolicy: 'Cluster', ports: [{ nodePort: 32291, port: 8080, protocol: 'TCP', targetPort: 8080 }], selector: { name: 'django-psql-example' }, sessionAffinity: 'None', type: 'NodePort' },
    });
    // Columns as kubectl lays them out: labels to 26 ("External Traffic Policy:" + 2); the port
    // name cell aligns only within its own line.
    assert.equal(
      describeService(svc, []),
      'Name:                     django-psql-example\n' +
        'Namespace:                test-nodeport\n' +
        'Labels:                   <none>\n' +
        'Annotations:              <none>\n' +
        'Selector:                 name=django-psql-example\n' +
        'Type:                     NodePort\n' +
        'IP Families:              <none>\n' +
        'IP:                       172.30.191.202\n' +
        'IPs:                      <none>\n' +
        'Port:                     <unset>  8080/TCP\n' +
        'TargetPort:               8080/TCP\n' +
        'NodePort:                 <unset>  32291/TCP\n' +
        'Endpoints:                <none>\n' +
        'Session Affinity:         None\n' +
        'External Traffic Policy:  Cluster\n' +
        'Events:                   <none>\n',
    );
  });

  it('prints a LoadBalancer with a hostname ingress, and the modern fields when set', () => {
    const host = 'ac5c317cb9b0843588100b1b8889d999-389844834.us-east-2.elb.amazonaws.com';
    const svc = service({
      name: 'django-psql-example',
      namespace: 'test-loadbalancer',
      spec: {
        clusterIP: '172.30.7.213',
        clusterIPs: ['172.30.7.213'],
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        externalTrafficPolicy: 'Local',
        internalTrafficPolicy: 'Cluster',
        healthCheckNodePort: 31898,
        loadBalancerSourceRanges: ['10.0.0.0/8', '192.168.0.0/16'],
        ports: [{ name: 'http', nodePort: 30927, port: 8080, protocol: 'TCP', targetPort: 'web', appProtocol: 'http' }],
        type: 'LoadBalancer',
      },
      status: { loadBalancer: { ingress: [{ hostname: host }] } },
    });
    const l = pad(29); // "LoadBalancer Source Ranges:" (27) + 2
    const text = describeService(svc, []);
    assert.equal(
      text,
      [
        l('Name:') + 'django-psql-example',
        l('Namespace:') + 'test-loadbalancer',
        l('Labels:') + '<none>',
        l('Annotations:') + '<none>',
        l('Selector:') + '<none>',
        l('Type:') + 'LoadBalancer',
        l('IP Family Policy:') + 'SingleStack',
        l('IP Families:') + 'IPv4',
        l('IP:') + '172.30.7.213',
        l('IPs:') + '172.30.7.213',
        l('LoadBalancer Ingress:') + host,
        l('Port:') + 'http  8080/TCP',
        l('TargetPort:') + 'web/TCP',
        l('AppProtocol:') + 'http',
        l('NodePort:') + 'http  30927/TCP',
        l('Endpoints:') + '<none>',
        l('Session Affinity:') + 'None',
        l('External Traffic Policy:') + 'Local',
        l('Internal Traffic Policy:') + 'Cluster',
        l('HealthCheck NodePort:') + '31898',
        l('LoadBalancer Source Ranges:') + '10.0.0.0/8,192.168.0.0/16',
        l('Events:') + '<none>',
        '',
      ].join('\n'),
    );
  });

  it('prints an ExternalName service: no cluster IP (an empty, padded IP line) and the external name', () => {
    const svc = service({ name: 'minio', namespace: 'test-services', labels: { app: 'minio' }, spec: { externalName: 'minio.ocp4.labs.semperti.local', selector: { app: 'minio' }, sessionAffinity: 'None', type: 'ExternalName' } });
    const l = pad(19);
    assert.equal(
      describeService(svc, []),
      [
        l('Name:') + 'minio',
        l('Namespace:') + 'test-services',
        l('Labels:') + 'app=minio',
        l('Annotations:') + '<none>',
        l('Selector:') + 'app=minio',
        l('Type:') + 'ExternalName',
        l('IP Families:') + '<none>',
        l('IP:'),
        l('IPs:') + '<none>',
        l('External Name:') + 'minio.ocp4.labs.semperti.local',
        l('Session Affinity:') + 'None',
        l('Events:') + '<none>',
        '',
      ].join('\n'),
    );
  });

  it('writes a long annotation on its own lines, cut at 140 characters with "..."', () => {
    const value = 'x'.repeat(200);
    const text = describeService(service({ annotations: { long: value, short: 'v' }, spec: { clusterIP: '10.0.0.1' } }), []);
    const l = pad(19);
    assert.ok(text.includes(`${l('Annotations:')}long:\n${l('')}  ${'x'.repeat(138)}...\n${l('')}short: v\n`), text);
  });

  it('hides kubectl.kubernetes.io/last-applied-configuration', () => {
    const text = describeService(service({ annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' }, spec: { clusterIP: '10.0.0.1' } }), []);
    assert.match(text, /\nAnnotations: +<none>\n/);
  });
});

describe('formatEndpointSlices (describe Endpoints line)', () => {
  const slice = (endpoints: ReturnType<typeof sliceEndpoint>[], ports = [{ name: 'web', port: 8080 }]) => endpointSlice({ ports, endpoints });

  it('is <none> without slices, and empty when no endpoint is ready', () => {
    assert.equal(formatEndpointSlices([]), '<none>');
    assert.equal(formatEndpointSlices([slice([sliceEndpoint('10.0.0.1', { ready: false })])], new Set(['web'])), '');
  });

  it('counts an endpoint without a ready condition as ready', () => {
    assert.equal(formatEndpointSlices([slice([sliceEndpoint('10.0.0.1', { ready: null })])], new Set(['web'])), '10.0.0.1:8080');
  });

  it('keeps the ports of the service port name only', () => {
    const s = slice([sliceEndpoint('10.0.0.1')], [{ name: 'web', port: 8080 }, { name: 'metrics', port: 9090 }]);
    assert.equal(formatEndpointSlices([s], new Set(['metrics'])), '10.0.0.1:9090');
  });

  it('shows three then "+ N more..." over all slices', () => {
    const a = slice([sliceEndpoint('10.0.0.1'), sliceEndpoint('10.0.0.2')]);
    const b = slice([sliceEndpoint('10.0.0.3'), sliceEndpoint('10.0.0.4'), sliceEndpoint('10.0.0.5')]);
    assert.equal(formatEndpointSlices([a, b], new Set(['web'])), '10.0.0.1:8080,10.0.0.2:8080,10.0.0.3:8080 + 2 more...');
  });

  it('like kubectl, says "+ 0 more..." when the fourth endpoint is not ready', () => {
    const s = slice([sliceEndpoint('10.0.0.1'), sliceEndpoint('10.0.0.2'), sliceEndpoint('10.0.0.3'), sliceEndpoint('10.0.0.4', { ready: false })]);
    assert.equal(formatEndpointSlices([s], new Set(['web'])), '10.0.0.1:8080,10.0.0.2:8080,10.0.0.3:8080 + 0 more...');
  });

  it('lists bare addresses for a slice without ports (headless)', () => {
    assert.equal(formatEndpointSlices([slice([sliceEndpoint('10.0.0.1')], [])], new Set([''])), '10.0.0.1');
  });
});

// A port of kubernetes/kubernetes staging/src/k8s.io/kubectl/pkg/describe/describe_test.go
// TestDescribeService (7 cases: test1, test2, test-ready-field-empty, test-ServiceIPFamily,
// test-ServiceIPFamilyPolicy+ClusterIPs, test-TrafficDistribution, test-AppProtocol), from the
// copy whose ServiceDescriber.Describe takes the object. kubectl's describer lists the
// EndpointSlices labelled kubernetes.io/service-name=bar; here they are handed over, all
// carrying that label. Services and slices in wire form; expected texts verbatim.
describe('describeService: describe_test.go TestDescribeService', () => {
  const baseSpec = {
    type: 'LoadBalancer',
    selector: { blah: 'heh' },
    clusterIP: '1.2.3.4',
    ipFamilies: ['IPv4'],
    loadBalancerIP: '5.6.7.8',
    sessionAffinity: 'None',
    externalTrafficPolicy: 'Local',
    healthCheckNodePort: 32222,
  };
  const portTcp = (targetPort: number | string, extra: object = {}) => ({ name: 'port-tcp', port: 8080, protocol: 'TCP', targetPort, nodePort: 31111, ...extra });
  const bar = (spec: object, status?: object) => wire<Service>({ metadata: { name: 'bar', namespace: 'foo' }, spec: { ...baseSpec, ...spec }, ...(status ? { status } : {}) });
  const sliceOf = (name: string, protocol: string, endpoints: { ip: string; ready?: boolean }[]) =>
    wire<EndpointSlice>({
      metadata: { name, namespace: 'foo', labels: { 'kubernetes.io/service-name': 'bar' } },
      endpoints: endpoints.map((e) => ({ addresses: [e.ip], conditions: e.ready === undefined ? {} : { ready: e.ready } })),
      ports: [{ name: 'port-tcp', port: 9527, protocol }],
    });
  const vipIngress = { loadBalancer: { ingress: [{ ip: '5.6.7.8', ipMode: 'VIP' }] } };
  const threeReady = sliceOf('bar-abcde', 'TCP', [
    { ip: '10.244.0.1', ready: true },
    { ip: '10.244.0.2', ready: true },
    { ip: '10.244.0.3', ready: true },
  ]);
  const head = [
    'Name:                     bar',
    'Namespace:                foo',
    'Labels:                   <none>',
    'Annotations:              <none>',
    'Selector:                 blah=heh',
    'Type:                     LoadBalancer',
  ];
  const text = (lines: string[]) => [...head, ...lines, 'Events:                   <none>', ''].join('\n');

  const cases: [string, Service, EndpointSlice[], string][] = [
    [
      'test1',
      bar({ ports: [portTcp(9527)], internalTrafficPolicy: 'Cluster' }, vipIngress),
      [threeReady],
      text([
        'IP Families:              IPv4',
        'IP:                       1.2.3.4',
        'IPs:                      <none>',
        'Desired LoadBalancer IP:  5.6.7.8',
        'LoadBalancer Ingress:     5.6.7.8 (VIP)',
        'Port:                     port-tcp  8080/TCP',
        'TargetPort:               9527/TCP',
        'NodePort:                 port-tcp  31111/TCP',
        'Endpoints:                10.244.0.1:9527,10.244.0.2:9527,10.244.0.3:9527',
        'Session Affinity:         None',
        'External Traffic Policy:  Local',
        'Internal Traffic Policy:  Cluster',
        'HealthCheck NodePort:     32222',
      ]),
    ],
    [
      'test2',
      bar({ ports: [portTcp('targetPort')], internalTrafficPolicy: 'Local' }, { loadBalancer: { ingress: [{ ip: '5.6.7.8' }] } }),
      [
        sliceOf('bar-12345', 'UDP', [
          { ip: '10.244.0.1', ready: true },
          { ip: '10.244.0.2', ready: true },
        ]),
        sliceOf('bar-54321', 'UDP', [
          { ip: '10.244.0.3', ready: false },
          { ip: '10.244.0.4', ready: true },
          { ip: '10.244.0.5', ready: true },
        ]),
      ],
      text([
        'IP Families:              IPv4',
        'IP:                       1.2.3.4',
        'IPs:                      <none>',
        'Desired LoadBalancer IP:  5.6.7.8',
        'LoadBalancer Ingress:     5.6.7.8',
        'Port:                     port-tcp  8080/TCP',
        'TargetPort:               targetPort/TCP',
        'NodePort:                 port-tcp  31111/TCP',
        'Endpoints:                10.244.0.1:9527,10.244.0.2:9527,10.244.0.4:9527 + 1 more...',
        'Session Affinity:         None',
        'External Traffic Policy:  Local',
        'Internal Traffic Policy:  Local',
        'HealthCheck NodePort:     32222',
      ]),
    ],
    [
      'test-ready-field-empty',
      bar({ ports: [portTcp(9527)], internalTrafficPolicy: 'Cluster' }),
      [sliceOf('bar-abcdef', 'TCP', [{ ip: '10.244.0.1' }])],
      text([
        'IP Families:              IPv4',
        'IP:                       1.2.3.4',
        'IPs:                      <none>',
        'Desired LoadBalancer IP:  5.6.7.8',
        'Port:                     port-tcp  8080/TCP',
        'TargetPort:               9527/TCP',
        'NodePort:                 port-tcp  31111/TCP',
        'Endpoints:                10.244.0.1:9527',
        'Session Affinity:         None',
        'External Traffic Policy:  Local',
        'Internal Traffic Policy:  Cluster',
        'HealthCheck NodePort:     32222',
      ]),
    ],
    [
      'test-ServiceIPFamily',
      bar({ ports: [portTcp('targetPort')] }),
      [sliceOf('bar-123ab', 'TCP', [{ ip: '10.244.0.1', ready: true }])],
      text([
        'IP Families:              IPv4',
        'IP:                       1.2.3.4',
        'IPs:                      <none>',
        'Desired LoadBalancer IP:  5.6.7.8',
        'Port:                     port-tcp  8080/TCP',
        'TargetPort:               targetPort/TCP',
        'NodePort:                 port-tcp  31111/TCP',
        'Endpoints:                10.244.0.1:9527',
        'Session Affinity:         None',
        'External Traffic Policy:  Local',
        'HealthCheck NodePort:     32222',
      ]),
    ],
    [
      'test-ServiceIPFamilyPolicy+ClusterIPs',
      bar({ ports: [portTcp('targetPort')], ipFamilyPolicy: 'SingleStack', clusterIPs: ['1.2.3.4'] }),
      [],
      text([
        'IP Family Policy:         SingleStack',
        'IP Families:              IPv4',
        'IP:                       1.2.3.4',
        'IPs:                      1.2.3.4',
        'Desired LoadBalancer IP:  5.6.7.8',
        'Port:                     port-tcp  8080/TCP',
        'TargetPort:               targetPort/TCP',
        'NodePort:                 port-tcp  31111/TCP',
        'Endpoints:                <none>',
        'Session Affinity:         None',
        'External Traffic Policy:  Local',
        'HealthCheck NodePort:     32222',
      ]),
    ],
    [
      'test-TrafficDistribution',
      bar({ ports: [portTcp('targetPort')], trafficDistribution: 'PreferClose' }),
      [],
      text([
        'IP Families:              IPv4',
        'IP:                       1.2.3.4',
        'IPs:                      <none>',
        'Desired LoadBalancer IP:  5.6.7.8',
        'Port:                     port-tcp  8080/TCP',
        'TargetPort:               targetPort/TCP',
        'NodePort:                 port-tcp  31111/TCP',
        'Endpoints:                <none>',
        'Session Affinity:         None',
        'External Traffic Policy:  Local',
        'HealthCheck NodePort:     32222',
        'Traffic Distribution:     PreferClose',
      ]),
    ],
    [
      'test-AppProtocol',
      bar({ ports: [portTcp(9527, { appProtocol: 'example.com/custom-protocol' })], internalTrafficPolicy: 'Cluster' }, vipIngress),
      [threeReady],
      text([
        'IP Families:              IPv4',
        'IP:                       1.2.3.4',
        'IPs:                      <none>',
        'Desired LoadBalancer IP:  5.6.7.8',
        'LoadBalancer Ingress:     5.6.7.8 (VIP)',
        'Port:                     port-tcp  8080/TCP',
        'TargetPort:               9527/TCP',
        'AppProtocol:              example.com/custom-protocol',
        'NodePort:                 port-tcp  31111/TCP',
        'Endpoints:                10.244.0.1:9527,10.244.0.2:9527,10.244.0.3:9527',
        'Session Affinity:         None',
        'External Traffic Policy:  Local',
        'Internal Traffic Policy:  Cluster',
        'HealthCheck NodePort:     32222',
      ]),
    ],
  ];
  for (const [name, svc, slices, expected] of cases) {
    it(name, () => assert.equal(describeService(svc, slices), expected));
  }
});

// Not in kubectl's tests: describeService's other lines, read off describe.go.
describe('describeService: describe.go lines without an upstream test', () => {
  const l = pad(26); // "External Traffic Policy:" (24) + 2

  it('prints a dual-stack ClusterIP service: IP Family Policy, both families and IPs, "," joined; IPv6 endpoints bracketed', () => {
    const svc = wire<Service>({
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        type: 'ClusterIP',
        selector: { app: 'web' },
        clusterIP: '10.96.0.10',
        clusterIPs: ['10.96.0.10', 'fd00:10:96::a'],
        ipFamilyPolicy: 'PreferDualStack',
        ipFamilies: ['IPv4', 'IPv6'],
        ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }],
        sessionAffinity: 'ClientIP',
        internalTrafficPolicy: 'Local',
      },
    });
    const v4 = endpointSlice({ service: 'web', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }], endpoints: [sliceEndpoint('10.0.0.1')] });
    const v6 = endpointSlice({ service: 'web', addressType: 'IPv6', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }], endpoints: [sliceEndpoint('fd00::1')] });
    assert.equal(
      describeService(svc, [v4, v6]),
      [
        l('Name:') + 'web',
        l('Namespace:') + 'default',
        l('Labels:') + '<none>',
        l('Annotations:') + '<none>',
        l('Selector:') + 'app=web',
        l('Type:') + 'ClusterIP',
        l('IP Family Policy:') + 'PreferDualStack',
        l('IP Families:') + 'IPv4,IPv6',
        l('IP:') + '10.96.0.10',
        l('IPs:') + '10.96.0.10,fd00:10:96::a',
        l('Port:') + 'http  80/TCP',
        l('TargetPort:') + '8080/TCP',
        l('Endpoints:') + '10.0.0.1:8080,[fd00::1]:8080',
        l('Session Affinity:') + 'ClientIP',
        l('Internal Traffic Policy:') + 'Local',
        l('Events:') + '<none>',
        '',
      ].join('\n'),
    );
  });

  it('prints External IPs ("," joined), several ports with one Endpoints line each, and a hostname ingress', () => {
    const svc = wire<Service>({
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        type: 'LoadBalancer',
        clusterIP: '10.96.0.10',
        clusterIPs: ['10.96.0.10'],
        externalIPs: ['192.0.2.1', '192.0.2.2'],
        ports: [
          { name: 'http', port: 80, protocol: 'TCP', targetPort: 'http', nodePort: 30080 },
          { name: 'dns', port: 53, protocol: 'UDP', targetPort: 5353, nodePort: 30053 },
        ],
        sessionAffinity: 'None',
        externalTrafficPolicy: 'Cluster',
      },
      status: { loadBalancer: { ingress: [{ ip: '203.0.113.7', ipMode: 'Proxy' }, { hostname: 'lb.example.com' }] } },
    });
    const slice = endpointSlice({
      service: 'web',
      ports: [
        { name: 'http', port: 8080, protocol: 'TCP' },
        { name: 'dns', port: 5353, protocol: 'UDP' },
      ],
      endpoints: [sliceEndpoint('10.0.0.1'), sliceEndpoint('10.0.0.2', { ready: false })],
    });
    const text = describeService(svc, [slice]);
    assert.ok(text.includes(`${l('External IPs:')}192.0.2.1,192.0.2.2\n`), text);
    assert.ok(text.includes(`${l('LoadBalancer Ingress:')}203.0.113.7 (Proxy), lb.example.com\n`), text);
    assert.ok(
      text.includes(
        `${l('Port:')}http  80/TCP\n${l('TargetPort:')}http/TCP\n${l('NodePort:')}http  30080/TCP\n${l('Endpoints:')}10.0.0.1:8080\n` +
          `${l('Port:')}dns  53/UDP\n${l('TargetPort:')}5353/UDP\n${l('NodePort:')}dns  30053/UDP\n${l('Endpoints:')}10.0.0.1:5353\n`,
      ),
      text,
    );
  });
});
