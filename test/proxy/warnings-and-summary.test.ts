// Invalid input is handled as kube-proxy handles it (the address skipped or the service left
// out), with one warning naming the service; and the data describe / trace / -o json read.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../src/cluster/types.js';
import { renderNode } from '../../src/proxy/render.js';
import { servicePortSummaries } from '../../src/proxy/summary.js';
import { warningLine } from '../../src/proxy/warnings.js';
import { fakeProxierConfig, snapshotOf } from './support/fake-proxier.js';

const config = (version = '1.33') => fakeProxierConfig({ era: '1.33', version });
const render = (objects: KubeObject[], version?: string) => renderNode(snapshotOf(objects), config(version));
const svc = (name: string, spec: Record<string, unknown>, status?: Record<string, unknown>): KubeObject => ({
  apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'ns1', name },
  spec: { ports: [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 30080 }], ...spec }, ...(status ? { status } : {}),
});
const slice = (name: string, addresses: string[], family = 4): KubeObject => ({
  apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { namespace: 'ns1', name: `${name}-${family}`, labels: { 'kubernetes.io/service-name': name } },
  addressType: `IPv${family}`, endpoints: addresses.map((a) => ({ addresses: [a], nodeName: 'test-node' })), ports: [{ name: 'p80', port: 80, protocol: 'TCP' }],
});

describe('invalid services and addresses', () => {
  it('a clusterIP that is not an IP: the service is skipped, with a warning naming it', () => {
    const r = render([svc('bad', { clusterIP: '172.30.0.999' }), slice('bad', ['10.180.0.1'])]);
    assert.deepEqual(r.warnings.map(warningLine), ['warning: service ns1/bad: clusterIP is not a valid IP address; skipped (kube-proxy could not program it)']);
    assert.ok(!r.families[0]!.payload.includes('ns1/bad'));
  });

  it('bad externalIPs, ingress IPs and source ranges are dropped one by one; the rest is programmed', () => {
    const r = render([
      svc('lb', { type: 'LoadBalancer', clusterIP: '172.30.0.41', externalIPs: ['192.168.99.1', 'x.y'], loadBalancerSourceRanges: ['10.0.0.0/8', 'ten/8'] },
        { loadBalancer: { ingress: [{ ip: '1.2.3.4' }, { ip: '1.2.3' }] } }),
      slice('lb', ['10.180.0.1']),
    ]);
    assert.deepEqual(r.warnings.map(warningLine), [
      'warning: service ns1/lb: externalIP "x.y" is not an IP address; ignored as kube-proxy does',
      'warning: service ns1/lb: load-balancer ingress IP "1.2.3" is not an IP address; ignored as kube-proxy does',
      'warning: service ns1/lb: loadBalancerSourceRanges entry "ten/8" is not a CIDR; ignored',
    ]);
    const payload = r.families[0]!.payload;
    assert.ok(payload.includes('-d 192.168.99.1 ') && payload.includes('-d 1.2.3.4 ') && payload.includes('-s 10.0.0.0/8 '));
  });

  it('an endpoint address of the wrong family or not an IP is skipped, with a warning', () => {
    const r = render([svc('web', { clusterIP: '172.30.0.42' }), slice('web', ['10.180.0.1', '10.180.0.300'])]);
    assert.equal(r.warnings.length, 1);
    assert.match(warningLine(r.warnings[0]!), /^warning: service ns1\/web: endpoint address "10\.180\.0\.300" is not an IPv4 address; skipped$/);
    assert.equal(servicePortSummaries(r)[0]!.cluster.length, 1);
  });

  it('a port, nodePort, health-check port or endpoint port out of 0-65535 is left out with a warning, so the payload still loads', () => {
    const ports = [
      { name: 'big', port: 99999, protocol: 'TCP' },
      { name: 'np', port: 81, protocol: 'TCP', nodePort: 70000 },
      { name: 'p80', port: 80, protocol: 'TCP', nodePort: 30080 },
    ];
    const epSlice = { ...slice('lb', ['10.180.0.1']), ports: [{ name: 'p80', port: 123456, protocol: 'TCP' }] } as KubeObject;
    const r = render([
      svc('lb', { type: 'LoadBalancer', clusterIP: '172.30.0.44', externalTrafficPolicy: 'Local', healthCheckNodePort: 65536, ports }),
      epSlice,
    ]);
    assert.deepEqual(r.warnings.map(warningLine), [
      'warning: service ns1/lb: healthCheckNodePort 65536 is out of range (0-65535); no health check rule is written',
      "warning: service ns1/lb: port 99999 is out of range (0-65535); skipped (iptables-restore would reject kube-proxy's whole payload)",
      "warning: service ns1/lb: nodePort 70000 is out of range (0-65535); skipped (iptables-restore would reject kube-proxy's whole payload)",
      'warning: service ns1/lb: endpoint port 123456 is out of range (0-65535); its endpoints are skipped',
    ]);
    const payload = r.families[0]!.payload;
    assert.ok(!/99999|70000|65536|123456/.test(payload), payload);
    assert.ok(payload.includes('"ns1/lb:p80 has no endpoints"'), 'the valid port is programmed, without endpoints');
  });

  it('a dual-stack problem is reported once, not once per family', () => {
    const r = render([svc('ds', { clusterIP: '172.30.0.43', clusterIPs: ['172.30.0.43', 'fd00::43'], ipFamilies: ['IPv4', 'IPv6'], externalIPs: ['nope'] })]);
    assert.equal(r.warnings.length, 1);
    assert.equal(r.families.length, 2);
  });

  it('a render of some services warns about those only, though it reads them all', () => {
    const objects = [svc('good', { clusterIP: '172.30.0.47' }), svc('bad', { clusterIP: '172.30.0.48', externalIPs: ['nope'] }), slice('bad', ['10.180.0.300'])];
    const only = (name: string) => renderNode(snapshotOf(objects), config(), { include: (s) => s.metadata?.name === name });
    assert.deepEqual(only('good').warnings, []);
    assert.deepEqual(only('bad').warnings.map(warningLine), [
      'warning: service ns1/bad: externalIP "nope" is not an IP address; ignored as kube-proxy does',
      'warning: service ns1/bad: endpoint address "10.180.0.300" is not an IPv4 address; skipped',
    ]);
  });

  it('ExternalName and headless services are skipped without a warning, with the reason', () => {
    const r = render([svc('ext', { type: 'ExternalName', externalName: 'example.com' }), svc('hl', { clusterIP: 'None' })]);
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(r.skipped, [
      { service: 'ns1/ext', reason: 'it is an ExternalName service' },
      { service: 'ns1/hl', reason: 'it is headless (clusterIP None)' },
    ]);
  });
});

describe('summaries for describe, trace and -o json', () => {
  it("per service port: the chains declared on this node and each endpoint's share and written probability", () => {
    const r = render([
      svc('np', { type: 'NodePort', clusterIP: '172.30.0.44', externalTrafficPolicy: 'Local' }),
      slice('np', ['10.180.0.1', '10.180.0.2', '10.180.0.3']),
    ]);
    const [p] = servicePortSummaries(r);
    assert.equal(p!.servicePort, 'ns1/np:p80');
    assert.deepEqual(Object.keys(p!.chains).sort(), ['external', 'local', 'service']);
    assert.match(p!.chains.service!, /^KUBE-SVC-/);
    assert.deepEqual(p!.cluster.map((e) => [e.endpoint, e.probability]), [['10.180.0.1:80', '0.3333333333'], ['10.180.0.2:80', '0.5000000000'], ['10.180.0.3:80', undefined]]);
    assert.deepEqual(p!.local!.map((e) => e.endpoint), ['10.180.0.1:80', '10.180.0.2:80', '10.180.0.3:80']);
    assert.equal(p!.nodePort, 30080);
  });

  it('1.16 writes %0.5f probabilities and uses KUBE-XLB- as the local chain', () => {
    const r = render([svc('np', { type: 'NodePort', clusterIP: '172.30.0.46', externalTrafficPolicy: 'Local' }), slice('np', ['10.180.0.1', '10.180.0.2'])], '1.16');
    const [p] = servicePortSummaries(r);
    assert.equal(p!.cluster[0]!.probability, '0.50000');
    assert.match(p!.chains.xlb!, /^KUBE-XLB-/);
  });
});
