// Chain notes (src/proxy/annotate.ts): what a kube-proxy chain stands for, from the renderer
// or from a node dump's comments; 1.12-1.17 dumps have no comment on SVC->SEP and SEP rules,
// so an endpoint chain's service port comes from the chain jumping to it and its endpoint from
// its DNAT target. Expected names and addresses are the walkthrough's (shared/seed FACTS).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadDemo } from '../../src/cluster/demo.js';
import { parseRuleset } from '../../src/netfilter/index.js';
import { dumpClusterCIDRs, endpointPods, notesFromDump, notesFromRender, ruleLineNote, servicePortOfComment } from '../../src/proxy/annotate.js';
import { buildProxyConfig } from '../../src/proxy/config.js';
import { renderNode } from '../../src/proxy/render.js';
import { servicePortSummaries } from '../../src/proxy/summary.js';
import { FIXTURES } from './support/fake-proxier.js';

const fixture = (path: string) => parseRuleset(readFileSync(join(FIXTURES, path), 'utf8'), { source: path });

describe('notes from a dump', () => {
  it("1.16 (the walkthrough's lines): SEP chains without comments get their service port and endpoint", () => {
    const notes = notesFromDump(fixture('netfilter/walkthrough-ipv4.rules'));
    assert.equal(notes.get('KUBE-SVC-GIGN3HAIPPOO23F3')?.text, 'service port test-services/django-psql-example:web (172.30.85.132:8080/TCP), 3 endpoints');
    assert.deepEqual(
      { ...notes.get('KUBE-SEP-7ANA7OTZZO5QKVWN') },
      { chain: 'KUBE-SEP-7ANA7OTZZO5QKVWN', role: 'endpoint', servicePort: 'test-services/django-psql-example:web', endpoint: '10.254.4.24:8080', text: 'endpoint 10.254.4.24:8080 of test-services/django-psql-example:web' },
    );
    // unnamed port, 1.16 spelling "ns/name:"; reached from KUBE-NODEPORTS too
    assert.equal(notes.get('KUBE-SVC-5YXNK7KOCSOUM3AE')?.servicePort, 'test-nodeport/django-psql-example:');
    assert.equal(notes.get('KUBE-SEP-WBMKBITY6POBVI7J')?.servicePort, 'test-nodeport/django-psql-example:');
  });

  it('with a snapshot, endpoints are named by pod and node', async () => {
    const notes = notesFromDump(fixture('netfilter/walkthrough-ipv4.rules'), endpointPods(await loadDemo()));
    const sep = notes.get('KUBE-SEP-JBBKRG73QF24CZJD')!;
    assert.equal(sep.pod, 'test-services/django-psql-example-1-hhng7');
    assert.equal(sep.node, 'worker2.ocp4.labs.semperti.local');
    assert.match(sep.text, /^endpoint 10\.254\.5\.61:8080 \(pod test-services\/django-psql-example-1-hhng7\) of test-services\/django-psql-example:web$/);
  });

  it('1.20 ("ns/name" for an unnamed port, SEP comments) and 1.28 ("-> ip:port") dumps', () => {
    const old = notesFromDump(fixture('trace/kubeadm-1.20-flannel-docker.save'));
    assert.equal(old.get('KUBE-SEP-572N7V452IACARUQ')?.endpoint, '10.254.4.25:8080');
    assert.equal(old.get('KUBE-SEP-572N7V452IACARUQ')?.servicePort, 'test-nodeport/django-psql-example');
    assert.equal(old.get('KUBE-SVC-TBWGBGMOZIGZJY2R')?.servicePort, 'test-nodeport/django-psql-example');
    const modern = notesFromDump(fixture('trace/kubeadm-1.28-calico.save'));
    assert.equal(modern.get('KUBE-SEP-XU6QRWQ6NFR3D34U')?.endpoint, '10.254.5.66:8080');
    assert.equal(modern.get('KUBE-EXT-TBWGBGMOZIGZJY2R')?.role, 'external');
    assert.equal(modern.get('KUBE-EXT-TBWGBGMOZIGZJY2R')?.servicePort, 'test-nodeport/django-psql-example');
    // other software's chains are not kube-proxy's
    assert.equal([...modern.keys()].some((c) => c.startsWith('cali-')), false);
  });

  it("the pod network a dump names: its \"! -s CIDR ... -j KUBE-MARK-MASQ\" rules, most used first", () => {
    assert.deepEqual(dumpClusterCIDRs(fixture('trace/kubeadm-1.28-calico.save')), ['10.254.0.0/16']);
    assert.deepEqual(dumpClusterCIDRs(fixture('netfilter/walkthrough-ipv4.rules')), ['10.254.0.0/16', '10.128.0.0/14']);
  });

  it('reads the service port out of a comment, and nothing out of other comments', () => {
    assert.equal(servicePortOfComment('masquerade traffic for ns4/svc4:p80 external destinations'), 'ns4/svc4:p80');
    assert.equal(servicePortOfComment('test-nodeport/django-psql-example: cluster IP'), 'test-nodeport/django-psql-example:');
    assert.equal(servicePortOfComment('kubernetes service portals'), undefined);
    assert.equal(servicePortOfComment('cali:6gwbT8clXdHdC1b1'), undefined);
  });
});

describe('endpoint pods', () => {
  it('are found by the address as the rules write it (Kubernetes reads 010.0.0.1 and FD00::0001 too)', () => {
    const snapshot = {
      endpoints: [{ apiVersion: 'v1', kind: 'Endpoints', metadata: { namespace: 'ns1', name: 'web' },
        subsets: [{ addresses: [{ ip: '10.254.004.024', nodeName: 'n1', targetRef: { kind: 'Pod', name: 'web-a' } }] }] }],
      endpointSlices: [{ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { namespace: 'ns1', name: 'web-6' }, addressType: 'IPv6',
        endpoints: [{ addresses: ['FD00::0001'], nodeName: 'n2', targetRef: { kind: 'Pod', name: 'web-b' } }] }],
      pods: [],
    } as unknown as Parameters<typeof endpointPods>[0];
    const pods = endpointPods(snapshot);
    assert.deepEqual(pods.get('10.254.4.24'), { pod: 'ns1/web-a', node: 'n1' });
    assert.deepEqual(pods.get('fd00::1'), { pod: 'ns1/web-b', node: 'n2' });
  });
});

describe('notes from the renderer', () => {
  it('the text `rules` prints above a chain, with the endpoint\'s pod and node', async () => {
    const snapshot = await loadDemo();
    const config = buildProxyConfig({ flags: { node: 'worker0.ocp4.labs.semperti.local' }, snapshot });
    const render = renderNode(snapshot, config);
    const notes = notesFromRender(servicePortSummaries(render), 4, render);
    const sep = notes.get('KUBE-SEP-7ANA7OTZZO5QKVWN')!;
    assert.equal(sep.text, 'endpoint 10.254.4.24:8080 (pod test-services/django-psql-example-1-grddz) of test-services/django-psql-example:web: cluster endpoint 1 of 3, 33.3% of new connections');
    assert.equal(sep.node, 'worker0.ocp4.labs.semperti.local');
    const owner = { servicePort: 'test-services/django-psql-example:web', namespace: 'test-services', service: 'django-psql-example', port: 'web', protocol: 'tcp' };
    assert.equal(ruleLineNote(notes, 'KUBE-SVC-GIGN3HAIPPOO23F3', owner), 'KUBE-SVC-GIGN3HAIPPOO23F3: service port test-services/django-psql-example:web (172.30.85.132:8080/TCP), 3 endpoints');
    assert.equal(ruleLineNote(notes, 'KUBE-SERVICES', owner), 'KUBE-SERVICES (shared): the lines for test-services/django-psql-example:web');
  });

  it('says when topology hints narrowed the endpoints (PreferSameNode from 1.34, zone hints before)', async () => {
    const demo = await loadDemo();
    // The demo's django slice, with node and zone hints as PreferSameNode leaves them.
    const zoneOf: Record<string, string> = { 'worker0.ocp4.labs.semperti.local': 'z0', 'worker2.ocp4.labs.semperti.local': 'z2' };
    const endpointSlices = demo.endpointSlices.map((slice) =>
      slice.metadata?.name !== 'django-psql-example-bk7wq'
        ? slice
        : { ...slice, endpoints: slice.endpoints.map((e) => ({ ...e, hints: { forZones: [{ name: zoneOf[e.nodeName!]! }], forNodes: [{ name: e.nodeName! }] } })) },
    );
    const nodes = demo.nodes.map((n) => ({ ...n, metadata: { ...n.metadata, labels: { ...n.metadata?.labels, 'topology.kubernetes.io/zone': zoneOf[n.metadata!.name!] ?? 'z1' } } }));
    const snapshot = { ...demo, endpointSlices, nodes };
    const owner = { servicePort: 'test-services/django-psql-example:web', namespace: 'test-services', service: 'django-psql-example', port: 'web', protocol: 'tcp' };
    for (const [version, node, want] of [
      ['1.34', 'worker2.ocp4.labs.semperti.local', '2 endpoints (topology hints: PreferSameNode)'],
      ['1.33', 'worker2.ocp4.labs.semperti.local', '2 endpoints (topology hints: PreferSameZone)'],
      ['1.34', 'worker1.ocp4.labs.semperti.local', '3 endpoints'],
    ] as const) {
      const config = buildProxyConfig({ flags: { node, proxyVersion: version }, snapshot });
      const render = renderNode(snapshot, config);
      const notes = notesFromRender(servicePortSummaries(render), 4, render);
      assert.equal(ruleLineNote(notes, 'KUBE-SVC-GIGN3HAIPPOO23F3', owner), `KUBE-SVC-GIGN3HAIPPOO23F3: service port test-services/django-psql-example:web (172.30.85.132:8080/TCP), ${want}`, `${version} on ${node}`);
    }
  });
});
