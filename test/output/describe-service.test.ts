import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Service } from '../../src/cluster/types.js';
import { describeService, formatEndpointSlices } from '../../src/output/describe-service.js';
import { endpointSlice, service, sliceEndpoint } from '../helpers/objects.js';

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
    const l = pad(19); // "Session Affinity:" is the longest label (17)
    assert.equal(
      describeService(django, [djangoSlice]),
      [
        l('Name:') + 'django-psql-example',
        l('Namespace:') + 'test-services',
        l('Labels:') + 'app=django-psql-example',
        l('') + 'template=django-psql-example',
        l('Annotations:') + 'description: Exposes and load balances the application pods',
        l('') + 'openshift.io/generated-by: OpenShiftNewApp',
        l('') + 'service.alpha.openshift.io/dependencies: [{"name": "postgresql", "kind": "Service"}]',
        l('Selector:') + 'name=django-psql-example',
        l('Type:') + 'ClusterIP',
        l('IP Families:') + '<none>',
        l('IP:') + '172.30.85.132',
        l('IPs:') + '<none>',
        l('Port:') + 'web  8080/TCP',
        l('TargetPort:') + '8080/TCP',
        l('Endpoints:') + '10.254.4.24:8080,10.254.5.61:8080,10.254.5.66:8080',
        l('Session Affinity:') + 'None',
        l('Events:') + '<none>',
        '',
      ].join('\n'),
    );
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
