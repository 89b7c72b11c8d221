import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Service, Snapshot } from '../../src/cluster/types.js';
import { UsageError } from '../../src/errors.js';
import { chainsSection } from '../../src/output/chains.js';
import { chainView, formatShare } from '../../src/proxy/summary.js';
import { palette } from '../../src/output/color.js';
import { buildProxyConfig } from '../../src/proxy/config.js';
import { endpointSlice, node, service, sliceEndpoint, snapshotOf } from '../helpers/objects.js';

const plain = palette(false);

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
// Walkthrough addresses (shared/seed/FACTS.md): three endpoints of each django service.
const slice = (svc: Service, ips: string[], portName: string, ready: (boolean | null)[] = []) =>
  endpointSlice({
    namespace: svc.metadata!.namespace,
    service: svc.metadata!.name,
    ports: [{ name: portName, port: 8080, protocol: 'TCP' }],
    endpoints: ips.map((ip, i) => sliceEndpoint(ip, { ready: ready[i] === undefined ? true : ready[i] })),
  });
const worker = node({ name: 'worker0', addresses: [{ type: 'InternalIP', address: '10.252.7.235' }] });

function chains(svc: Service, snapshot: Snapshot, proxyVersion?: string): string {
  const config = buildProxyConfig({ flags: { proxyVersion }, snapshot });
  return chainsSection(svc, chainView(snapshot, svc, config), plain);
}

describe('chainsSection (from the kube-proxy model)', () => {
  it("names the walkthrough's KUBE-SVC and KUBE-SEP chains with --proxy-version 1.16, endpoints in address order, 1/3 each", () => {
    const snap = snapshotOf({ services: [web], endpointSlices: [slice(web, ['10.254.5.66', '10.254.4.24', '10.254.5.61'], 'web')], nodes: [worker] });
    // Chain names from the walkthrough's iptables-save output.
    assert.equal(
      chains(web, snap, '1.16'),
      'Chains (kube-proxy 1.16, iptables mode, node worker0):\n' +
        '  web 8080/TCP "test-services/django-psql-example:web": KUBE-SVC-GIGN3HAIPPOO23F3\n' +
        '    CHAIN                       ENDPOINT           SHARE\n' +
        '    KUBE-SEP-7ANA7OTZZO5QKVWN   10.254.4.24:8080   33.3%\n' +
        '    KUBE-SEP-JBBKRG73QF24CZJD   10.254.5.61:8080   33.3%\n' +
        '    KUBE-SEP-XU6QRWQ6NFR3D34U   10.254.5.66:8080   33.3%\n',
    );
  });

  it('hashes an unnamed port with the colon up to 1.18 (the walkthrough) and without it from 1.19', () => {
    const snap = snapshotOf({ services: [unnamed], endpointSlices: [slice(unnamed, ['10.254.3.22', '10.254.4.25', '10.254.5.71'], '')], nodes: [worker] });
    const old = chains(unnamed, snap, '1.16');
    assert.match(old, /<unset> 8080\/TCP "test-nodeport\/django-psql-example:": KUBE-SVC-5YXNK7KOCSOUM3AE\n/);
    assert.match(old, /KUBE-SEP-WBMKBITY6POBVI7J +10\.254\.3\.22:8080 +33\.3%\n.*KUBE-SEP-ZRETU3UTQ3EXCFUX +10\.254\.4\.25:8080 .*\n.*KUBE-SEP-2CQOQG2SNEWYJXXO +10\.254\.5\.71:8080 /);
    const newest = chains(unnamed, snap);
    assert.match(newest, /^Chains \(kube-proxy 1\.34, iptables mode, node worker0\):\n {2}<unset> 8080\/TCP "test-nodeport\/django-psql-example": KUBE-SVC-/);
    assert.ok(!newest.includes('KUBE-SVC-5YXNK7KOCSOUM3AE'), 'the name without the colon hashes differently');
  });

  it('gives a named port the same chains in every version ("ns/name:port")', () => {
    const snap = snapshotOf({ services: [web], endpointSlices: [slice(web, ['10.254.4.24'], 'web')], nodes: [worker] });
    const body = (text: string) => text.split('\n').slice(1).join('\n');
    assert.equal(body(chains(web, snap, '1.16')), body(chains(web, snap, '1.30')));
  });

  it('balances over ready endpoints only, and says when there is none', () => {
    const snap = snapshotOf({ services: [web], endpointSlices: [slice(web, ['10.254.4.24', '10.254.5.61', '10.254.5.66'], 'web', [true, false, null])], nodes: [worker] });
    const text = chains(web, snap, '1.30');
    assert.match(text, /10\.254\.4\.24:8080 +50\.0%\n.*10\.254\.5\.66:8080 +50\.0%\n$/);
    assert.ok(!text.includes('10.254.5.61'));
    const none = snapshotOf({ services: [web], endpointSlices: [slice(web, ['10.254.4.24'], 'web', [false])], nodes: [worker] });
    // Without endpoints kube-proxy declares no KUBE-SVC- chain; it rejects instead.
    assert.match(chains(web, none, '1.16'), /:web": no KUBE-SVC- chain is written\n {4}no ready endpoints: kube-proxy rejects new connections/);
  });

  it('shows the node-local chain of externalTrafficPolicy Local: KUBE-XLB up to 1.23, KUBE-SVL from 1.24', () => {
    const lb = service({
      name: 'lb',
      spec: { type: 'LoadBalancer', clusterIP: '172.30.0.5', externalTrafficPolicy: 'Local', healthCheckNodePort: 31000, ports: [{ name: 'http', port: 80, nodePort: 30080, targetPort: 8080 }] },
    });
    const s = endpointSlice({
      service: 'lb',
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      endpoints: [sliceEndpoint('10.1.0.1', { nodeName: 'worker0' }), sliceEndpoint('10.1.0.2', { nodeName: 'worker1' })],
    });
    const snap = snapshotOf({ services: [lb], endpointSlices: [s], nodes: [worker] });
    for (const [version, prefix] of [['1.20', 'KUBE-XLB-'], ['1.24', 'KUBE-SVL-']] as const) {
      const text = chains(lb, snap, version);
      // Cluster traffic still splits over both endpoints; the Local chain keeps worker0's only.
      assert.match(text, /KUBE-SVC-(\S+)\n.*\n.*10\.1\.0\.1:8080 +50\.0%\n.*10\.1\.0\.2:8080 +50\.0%\n/);
      assert.match(text, new RegExp(`externalTrafficPolicy Local: ${prefix}\\S+ balances over the endpoints on worker0\\n.*\\n +KUBE-SEP-\\S+ +10\\.1\\.0\\.1:8080 +100\\.0%\\n$`));
    }
  });

  it('says when topology hints narrow the endpoints: zone hints from 1.31, node hints from 1.34', () => {
    const zoned = node({ name: 'worker0', labels: { 'topology.kubernetes.io/zone': 'zone-1' }, addresses: [{ type: 'InternalIP', address: '10.252.7.235' }] });
    const hinted = (ip: string, nodeName: string, zone: string) => ({ ...sliceEndpoint(ip, { nodeName }), hints: { forZones: [{ name: zone }], forNodes: [{ name: nodeName }] } });
    const s = endpointSlice({
      namespace: 'test-services',
      service: 'django-psql-example',
      ports: [{ name: 'web', port: 8080, protocol: 'TCP' }],
      endpoints: [hinted('10.254.4.24', 'worker0', 'zone-1'), hinted('10.254.5.61', 'worker2', 'zone-1'), hinted('10.254.6.7', 'worker3', 'zone-2')],
    });
    const snap = snapshotOf({ services: [web], endpointSlices: [s], nodes: [zoned] });
    const sameNode = chains(web, snap, '1.34');
    assert.match(sameNode, /\n {4}topology hints \(PreferSameNode\): only the endpoints hinted for node worker0\n.*\n.*10\.254\.4\.24:8080 +100\.0%\n$/);
    const sameZone = chains(web, snap, '1.33');
    assert.match(sameZone, /\n {4}topology hints \(PreferSameZone\): only the endpoints hinted for zone zone-1\n.*\n.*10\.254\.4\.24:8080 +50\.0%\n.*10\.254\.5\.61:8080 +50\.0%\n$/);
    assert.ok(!chains(web, snap, '1.30').includes('topology'), '1.30 needs the annotation');
  });

  it('gives each of n endpoints 1/n of new connections', () => {
    assert.deepEqual([1, 2, 3, 6].map((n) => formatShare(1 / n)), ['100.0%', '50.0%', '33.3%', '16.7%']);
  });

  it('says why kube-proxy writes no chains for ExternalName and headless services', () => {
    const ext = service({ name: 'minio', spec: { type: 'ExternalName', externalName: 'minio.ocp4.labs.semperti.local' } });
    assert.match(chains(ext, snapshotOf({ services: [ext], nodes: [worker] })), /\n {2}none: kube-proxy writes no rules for an ExternalName service; cluster DNS answers with a CNAME to minio\.ocp4\.labs\.semperti\.local\n$/);
    const headless = service({ name: 'db', spec: { clusterIP: 'None', ports: [{ port: 5432 }] } });
    assert.match(chains(headless, snapshotOf({ services: [headless], nodes: [worker] })), /headless service \(clusterIP: None\)/);
  });

  it('names the modelled node in the title only when the snapshot or --node gives one', () => {
    const noNodes = snapshotOf({ services: [web], endpointSlices: [slice(web, ['10.254.4.24'], 'web')] });
    assert.match(chains(web, noNodes), /^Chains \(kube-proxy 1\.34, iptables mode\):\n/);
    const config = buildProxyConfig({ flags: { node: 'worker9' }, snapshot: noNodes });
    assert.match(chainsSection(web, chainView(noNodes, web, config), plain), /^Chains \(kube-proxy 1\.34, iptables mode, node worker9\):\n/);
  });

  it('rejects a --proxy-version that is not a modelled kube-proxy minor', () => {
    assert.throws(() => chains(web, snapshotOf({ services: [web] }), '2.0'), UsageError);
  });
});
