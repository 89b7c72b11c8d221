import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { palette } from '../../src/output/color.js';
import { endpointRows, endpointsSection, podsSection, type PodJoin } from '../../src/output/service-join.js';
import { container, endpointSlice, pod, service, sliceEndpoint } from '../helpers/objects.js';

const plain = palette(false);
const colored = palette(true);

const web = service({
  name: 'django-psql-example',
  namespace: 'test-services',
  spec: { clusterIP: '172.30.85.132', ports: [{ name: 'web', port: 8080, protocol: 'TCP', targetPort: 8080 }], selector: { name: 'django-psql-example' }, type: 'ClusterIP' },
});
describe('podsSection', () => {
  const ready = pod({ name: 'django-psql-example-1-grddz', status: { phase: 'Running', podIP: '10.254.4.24', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [container('app')] } });
  ready.spec!.nodeName = 'worker0';
  const notReady = pod({ name: 'django-psql-example-1-xk5tb', status: { phase: 'Running', podIP: '10.254.5.66', containerStatuses: [container('app', { ready: false })] } });
  const joins: PodJoin[] = [
    { pod: notReady, endpoint: true, ready: false, reasons: [{ code: 'not-ready', message: 'not ready (Ready is False: ContainersNotReady)' }] },
    { pod: ready, endpoint: true, ready: true, reasons: [] },
  ];

  it('lists the selected pods by name as `get pods` shows them, with whether each is an endpoint and why not', () => {
    assert.equal(
      podsSection(web, joins, plain),
      'Pods (selector name=django-psql-example):\n' +
        '  NAME                          READY   STATUS    IP            NODE      ENDPOINT\n' +
        '  django-psql-example-1-grddz   1/1     Running   10.254.4.24   worker0   yes\n' +
        '  django-psql-example-1-xk5tb   0/1     Running   10.254.5.66   <none>    not ready (Ready is False: ContainersNotReady)\n',
    );
  });

  it('says when the selector matches nothing, or the service has no selector', () => {
    assert.match(podsSection(web, [], plain), /\n {2}none: no pod in the namespace has these labels\n$/);
    assert.match(podsSection(service({ spec: { clusterIP: '10.0.0.1' } }), [], plain), /^Pods:\n {2}none: the service has no selector/);
  });

  it('colours only when asked, and colour does not move the columns', () => {
    const text = podsSection(web, joins, colored);
    assert.ok(text.includes('\u001b['));
    assert.equal(text.replace(/\u001b\[[0-9;]*m/g, ''), podsSection(web, joins, plain));
    assert.ok(!podsSection(web, joins, plain).includes('\u001b'));
  });
});

describe('endpointsSection', () => {
  it('lists each endpoint per service port with its conditions, node and pod, and where they came from', () => {
    const s = endpointSlice({
      ports: [{ name: 'web', port: 8080 }],
      endpoints: [sliceEndpoint('10.254.4.24', { nodeName: 'worker0', pod: 'a' }), sliceEndpoint('10.254.5.66', { ready: false, terminating: true })],
    });
    assert.equal(
      endpointsSection(web, [s], 'derived', plain),
      'Endpoints (derived from Pods: the snapshot holds no EndpointSlices or Endpoints for this service):\n' +
        '  PORT   ENDPOINT           READY   SERVING   TERMINATING   NODE      POD\n' +
        '  web    10.254.4.24:8080   true    true      <unset>       worker0   a\n' +
        '  web    10.254.5.66:8080   false   false     true          <none>    <none>\n',
    );
  });

  it('keeps only the slice ports named like the service port', () => {
    const s = endpointSlice({ ports: [{ name: 'metrics', port: 9090 }], endpoints: [sliceEndpoint('10.0.0.1')] });
    assert.deepEqual(endpointRows(web, [s]), []);
  });

  it('says there are none for an ExternalName service or when nothing was found', () => {
    assert.match(endpointsSection(service({ spec: { type: 'ExternalName', externalName: 'x.example' } }), [], 'none', plain), /^Endpoints:\n {2}none: an ExternalName service has no endpoints/);
    assert.match(endpointsSection(web, [], 'none', plain), /^Endpoints:\n {2}none: the snapshot holds no EndpointSlices, Endpoints or selected Pods/);
  });
});
