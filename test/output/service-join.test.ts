import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { balancedEndpoints, chainOptionsFor, chainsSection, noChainsReason, shareOf } from '../../src/output/chains.js';
import { palette } from '../../src/output/color.js';
import { endpointRows, endpointsSection, podsSection, type PodJoin } from '../../src/output/service-join.js';
import { UsageError } from '../../src/errors.js';
import { container, endpointSlice, pod, service, sliceEndpoint } from '../helpers/objects.js';

const plain = palette(false);
const colored = palette(true);

const web = service({
  name: 'django-psql-example',
  namespace: 'test-services',
  spec: { clusterIP: '172.30.85.132', ports: [{ name: 'web', port: 8080, protocol: 'TCP', targetPort: 8080 }], selector: { name: 'django-psql-example' }, type: 'ClusterIP' },
});
const unnamed = service({
  name: 'django-psql-example',
  namespace: 'test-nodeport',
  spec: { clusterIP: '172.30.191.202', ports: [{ port: 8080, nodePort: 32291, protocol: 'TCP' }], selector: { name: 'django-psql-example' }, type: 'NodePort' },
});
// Walkthrough addresses (shared FACTS): three endpoints of each django service.
const slice = (ns: string, name: string, ips: string[], portName = 'web') =>
  endpointSlice({
    namespace: ns,
    service: 'django-psql-example',
    ports: [{ name: portName, port: 8080, protocol: 'TCP' }],
    endpoints: ips.map((ip, i) => sliceEndpoint(ip, { nodeName: `worker${i}`, pod: `${name}-${i}` })),
  });

describe('chainsSection (kube-proxy chain names per service port)', () => {
  it("names the walkthrough's KUBE-SVC and KUBE-SEP chains with --proxy-version 1.16, endpoints in ip:port order, 1/3 each", () => {
    const s = slice('test-services', 'django', ['10.254.5.66', '10.254.4.24', '10.254.5.61']);
    const text = chainsSection(web, [s], chainOptionsFor('1.16'), plain);
    // Chain names from the walkthrough's iptables-save output.
    assert.equal(
      text,
      'Chains (kube-proxy 1.16, iptables mode):\n' +
        '  web 8080/TCP "test-services/django-psql-example:web": KUBE-SVC-GIGN3HAIPPOO23F3\n' +
        '    CHAIN                       ENDPOINT           SHARE\n' +
        '    KUBE-SEP-7ANA7OTZZO5QKVWN   10.254.4.24:8080   33.3%\n' +
        '    KUBE-SEP-JBBKRG73QF24CZJD   10.254.5.61:8080   33.3%\n' +
        '    KUBE-SEP-XU6QRWQ6NFR3D34U   10.254.5.66:8080   33.3%\n',
    );
  });

  it('hashes an unnamed port with the colon up to 1.18 (the walkthrough) and without it from 1.19', () => {
    const s = slice('test-nodeport', 'django', ['10.254.3.22', '10.254.4.25', '10.254.5.71'], '');
    const old = chainsSection(unnamed, [s], chainOptionsFor('1.16'), plain);
    assert.match(old, /<unset> 8080\/TCP "test-nodeport\/django-psql-example:": KUBE-SVC-5YXNK7KOCSOUM3AE\n/);
    assert.match(old, /KUBE-SEP-WBMKBITY6POBVI7J +10\.254\.3\.22:8080 +33\.3%\n.*KUBE-SEP-ZRETU3UTQ3EXCFUX +10\.254\.4\.25:8080 .*\n.*KUBE-SEP-2CQOQG2SNEWYJXXO +10\.254\.5\.71:8080 /);
    const newest = chainsSection(unnamed, [s], chainOptionsFor(undefined), plain);
    assert.match(newest, /^Chains \(kube-proxy 1\.34, iptables mode\):\n {2}<unset> 8080\/TCP "test-nodeport\/django-psql-example": KUBE-SVC-/);
    assert.ok(!newest.includes('KUBE-SVC-5YXNK7KOCSOUM3AE'), 'the name without the colon hashes differently');
    // A named port is "ns/name:port" in every version: same chains.
    const s2 = slice('test-services', 'django', ['10.254.4.24']);
    assert.equal(chainsSection(web, [s2], chainOptionsFor('1.16'), plain).split('\n').slice(1).join('\n'), chainsSection(web, [s2], chainOptionsFor('1.30'), plain).split('\n').slice(1).join('\n'));
  });

  it('balances over ready endpoints only, and says when there is none', () => {
    const s = endpointSlice({
      namespace: 'test-services',
      ports: [{ name: 'web', port: 8080 }],
      endpoints: [sliceEndpoint('10.254.4.24'), sliceEndpoint('10.254.5.61', { ready: false }), sliceEndpoint('10.254.5.66', { ready: null })],
    });
    assert.deepEqual(balancedEndpoints(web.spec!.ports![0]!, [s]), ['10.254.4.24:8080', '10.254.5.66:8080']);
    const none = endpointSlice({ ports: [{ name: 'web', port: 8080 }], endpoints: [sliceEndpoint('10.254.4.24', { ready: false })] });
    assert.match(chainsSection(web, [none], chainOptionsFor('1.16'), plain), /: KUBE-SVC-GIGN3HAIPPOO23F3\n {4}no ready endpoints: kube-proxy rejects new connections/);
  });

  it('gives each of n endpoints 1/n of new connections', () => {
    assert.deepEqual([1, 2, 3, 6].map(shareOf), ['100.0%', '50.0%', '33.3%', '16.7%']);
  });

  it('says why kube-proxy writes no chains for ExternalName and headless services', () => {
    const ext = service({ spec: { type: 'ExternalName', externalName: 'minio.ocp4.labs.semperti.local' } });
    assert.match(noChainsReason(ext)!, /ExternalName service; cluster DNS answers with a CNAME to minio\.ocp4\.labs\.semperti\.local/);
    assert.match(chainsSection(service({ spec: { clusterIP: 'None', ports: [{ port: 80 }] } }), [], chainOptionsFor(undefined), plain), /headless service \(clusterIP: None\)/);
  });

  it('rejects a --proxy-version that is not a Kubernetes minor', () => {
    assert.throws(() => chainOptionsFor('2.0'), UsageError);
    assert.deepEqual(chainOptionsFor('v1.18.3'), { proxyVersion: '1.18', unnamedPortColon: true });
    assert.deepEqual(chainOptionsFor('1.19'), { proxyVersion: '1.19', unnamedPortColon: false });
  });
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
