// The file source (-f): every form kubectl reads, and one clear line for every bad input.
// Inputs are in test/fixtures/cluster (README.md there says how each was made: most were
// printed by the real kubectl).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from '../../src/cli/main.js';
import { loadFiles } from '../../src/cluster/files.js';
import type { SourceRequest } from '../../src/cluster/source.js';
import type { Snapshot } from '../../src/cluster/types.js';
import { InputError } from '../../src/errors.js';
import { sourceRequest } from '../helpers/source-request.js';

const FIXTURES = 'test/fixtures/cluster';
const fixture = (name: string) => `${FIXTURES}/${name}`;

const request = (filenames: string[], extra: Partial<SourceRequest> = {}) => sourceRequest({ filenames, ...extra });

const load = (filenames: string[], extra: Partial<SourceRequest> = {}) => loadFiles(request(filenames, extra));
const names = (objs: { metadata?: { namespace?: string; name?: string } }[]) =>
  objs.map((o) => (o.metadata?.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata?.name));
const counts = (s: Snapshot) => ({
  services: s.services.length,
  endpoints: s.endpoints.length,
  endpointSlices: s.endpointSlices.length,
  pods: s.pods.length,
  nodes: s.nodes.length,
  namespaces: s.namespaces.length,
});

describe('loadFiles: the forms kubectl reads', () => {
  it('reads one YAML object (kubectl create service --dry-run=client -o yaml) into the default namespace', async () => {
    const s = await load([fixture('kubectl-create-service.yaml')]);
    assert.deepEqual(names(s.services), ['default/web']);
    assert.equal(s.services[0]!.metadata!.creationTimestamp, null); // as kubectl prints it for a new object
    assert.deepEqual(s.services[0]!.spec!.ports, [{ name: '80-8080', port: 80, protocol: 'TCP', targetPort: 8080 }]);
    assert.equal(s.defaultNamespace, 'default');
    assert.equal(s.origin, `files: ${fixture('kubectl-create-service.yaml')}`);
  });

  it('puts objects that name no namespace in -n, as kubectl apply -f does', async () => {
    const s = await load([fixture('kubectl-create-service.yaml')], { namespace: 'shop' });
    assert.deepEqual(names(s.services), ['shop/web']);
    assert.equal(s.defaultNamespace, 'shop');
  });

  it('reads JSON (kubectl create service nodeport -o json)', async () => {
    const s = await load([fixture('kubectl-create-service-nodeport.json')]);
    assert.deepEqual(names(s.services), ['default/np']);
    assert.equal(s.services[0]!.spec!.type, 'NodePort');
  });

  it('reads a multi-document stream in order, skipping kinds it does not use', async () => {
    const s = await load([fixture('manifests-multidoc.yaml')]);
    assert.deepEqual(counts(s), { services: 1, endpoints: 0, endpointSlices: 0, pods: 1, nodes: 0, namespaces: 1 });
    assert.deepEqual(names(s.namespaces), ['shop']);
    assert.deepEqual(names(s.services), ['shop/web']);
    assert.deepEqual(names(s.pods), ['shop/web-0']);
  });

  it('notes each ignored kind only under -v', async () => {
    const quiet = request([fixture('manifests-multidoc.yaml')]);
    await loadFiles(quiet);
    assert.deepEqual(quiet.notes, []);
    const verbose = request([fixture('manifests-multidoc.yaml')], { verbose: 1 });
    await loadFiles(verbose);
    assert.equal(verbose.notes.length, 1);
    assert.match(verbose.notes[0]!, /^note: test\/fixtures\/cluster\/manifests-multidoc\.yaml: ignored a Deployment \(apps\/v1\)/);
  });

  it('reads a `kubectl get svc,ep,pods -A -o yaml` dump: one v1 List mixing kinds and namespaces', async () => {
    const s = await load([fixture('kubectl-get-svc-ep-pods-A.yaml')]);
    assert.deepEqual(counts(s), { services: 3, endpoints: 3, endpointSlices: 0, pods: 4, nodes: 0, namespaces: 0 });
    assert.deepEqual(names(s.services), ['default/kubernetes', 'kube-system/kube-dns', 'shop/web']);
    assert.deepEqual(names(s.endpoints), ['default/kubernetes', 'kube-system/kube-dns', 'shop/web']);
    assert.deepEqual(names(s.pods), [
      'kube-system/coredns-668d6bf9bc-4xkzq',
      'kube-system/coredns-668d6bf9bc-tzv7p',
      'shop/web-5d8f7c6b9-jq2xv',
      'shop/web-5d8f7c6b9-pl4sd',
    ]);
    assert.equal(s.endpoints[2]!.subsets![0]!.notReadyAddresses![0]!.ip, '10.244.0.8');
  });

  it('reads the same dump as JSON into the same objects', async () => {
    const yaml = await load([fixture('kubectl-get-svc-ep-pods-A.yaml')]);
    const json = await load([fixture('kubectl-get-svc-ep-pods-A.json')]);
    assert.deepEqual({ ...json, origin: '' }, { ...yaml, origin: '' });
  });

  it('reads typed lists as the API returns them, giving items the kind and version of the list', async () => {
    const s = await load([fixture('api-servicelist.json'), fixture('api-podlist.json')]);
    assert.deepEqual(names(s.services), ['kube-system/kube-dns']);
    assert.equal(s.services[0]!.apiVersion, 'v1');
    assert.equal(s.services[0]!.kind, 'Service');
    assert.deepEqual(names(s.pods), ['shop/web-5d8f7c6b9-jq2xv', 'shop/web-5d8f7c6b9-pl4sd']);
    assert.ok(s.pods.every((p) => p.kind === 'Pod' && p.apiVersion === 'v1'));
  });

  it('reads a directory: its .json, .yaml and .yml files in name order, not its subdirectories', async () => {
    const s = await load([fixture('manifests-dir')]);
    assert.deepEqual(names(s.namespaces), ['shop']);
    assert.deepEqual(names(s.services), ['default/web']); // nested/40-not-read.yaml would add "skipped"
    assert.deepEqual(names(s.pods), ['default/web-0']);
  });

  it('reads "-" from standard input, once per -f, in the order given', async () => {
    const stdin = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: from-stdin\n';
    const s = await load([fixture('kubectl-create-service-nodeport.json'), '-'], { readStdin: async () => stdin });
    assert.deepEqual(names(s.services), ['default/np', 'default/from-stdin']);
  });

  it('takes proxy settings from the kube-proxy ConfigMap (kubectl get cm kube-proxy -n kube-system -o yaml)', async () => {
    const s = await load([fixture('kubectl-get-cm-kube-proxy.yaml')]);
    assert.equal(s.proxy?.kubeProxyConfiguration?.kind, 'KubeProxyConfiguration');
    assert.equal(s.proxy?.kubeProxyConfiguration?.clusterCIDR, '10.244.0.0/16');
    assert.match(s.proxy?.origin ?? '', /ConfigMap kube-system\/kube-proxy/);
  });

  it('takes proxy settings from a KubeProxyConfiguration and from OpenShift\'s Network config', async () => {
    const stdin = [
      'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nclusterCIDR: 10.128.0.0/14\n',
      'apiVersion: config.openshift.io/v1\nkind: Network\nmetadata:\n  name: cluster\nspec:\n  clusterNetwork:\n  - cidr: 10.128.0.0/14\n    hostPrefix: 23\n  networkType: OVNKubernetes\n  serviceNetwork:\n  - 172.30.0.0/16\n',
    ].join('---\n');
    const s = await load(['-'], { readStdin: async () => stdin });
    assert.equal(s.proxy?.kubeProxyConfiguration?.clusterCIDR, '10.128.0.0/14');
    assert.deepEqual(s.proxy?.clusterNetworkCIDRs, ['10.128.0.0/14']);
    assert.deepEqual(s.proxy?.serviceNetworkCIDRs, ['172.30.0.0/16']);
    assert.equal(s.proxy?.networkType, 'OVNKubernetes');
  });

  it('converts discovery.k8s.io/v1beta1 EndpointSlices to v1 as the API server does', async () => {
    const stdin = `apiVersion: discovery.k8s.io/v1beta1
kind: EndpointSlice
metadata:
  name: web-abcde
  namespace: shop
  labels:
    kubernetes.io/service-name: web
addressType: IPv4
endpoints:
- addresses: ["10.0.0.1"]
  conditions: {ready: true}
  topology:
    kubernetes.io/hostname: node-a
    topology.kubernetes.io/zone: zone-1
- addresses: ["10.0.0.2"]
  nodeName: node-b
  topology:
    kubernetes.io/hostname: node-b
ports:
- name: http
  port: 8080
  protocol: TCP
`;
    const s = await load(['-'], { readStdin: async () => stdin });
    const slice = s.endpointSlices[0]!;
    assert.equal(slice.apiVersion, 'discovery.k8s.io/v1');
    // zone moves to its field; hostname stays in deprecatedTopology unless it repeats nodeName.
    assert.deepEqual(slice.endpoints[0], {
      addresses: ['10.0.0.1'],
      conditions: { ready: true },
      zone: 'zone-1',
      deprecatedTopology: { 'kubernetes.io/hostname': 'node-a' },
    });
    assert.deepEqual(slice.endpoints[1], { addresses: ['10.0.0.2'], nodeName: 'node-b' });
  });

  it('keeps objects in input order across files', async () => {
    const s = await load([fixture('kubectl-create-service-nodeport.json'), fixture('kubectl-create-service.yaml')]);
    assert.deepEqual(names(s.services), ['default/np', 'default/web']);
  });
});

describe('loadFiles: bad input is one line naming file, document and line', () => {
  const cases: [string, string][] = [
    ['bad/absent.yaml', 'the path "test/fixtures/cluster/bad/absent.yaml" does not exist'],
    [
      'bad/syntax.yaml',
      'test/fixtures/cluster/bad/syntax.yaml: document 2, line 13: YAML syntax error: bad indentation of a mapping entry',
    ],
    ['bad/syntax.json', 'test/fixtures/cluster/bad/syntax.json: document 1, line 6: JSON syntax error: Expected double-quoted property name'],
    [
      'bad/not-object.yaml',
      'test/fixtures/cluster/bad/not-object.yaml: document 2, line 6: expected a Kubernetes object (a mapping with apiVersion, kind and metadata), found a list',
    ],
    ['bad/no-kind.yaml', 'test/fixtures/cluster/bad/no-kind.yaml: document 1, line 2: kind not set'],
    ['bad/no-apiversion.yaml', 'test/fixtures/cluster/bad/no-apiversion.yaml: document 1, line 1: Service: apiVersion not set'],
    ['bad/no-name.yaml', 'test/fixtures/cluster/bad/no-name.yaml: document 2, line 8: Service: metadata.name not set'],
    [
      'bad/port-as-string.yaml',
      'test/fixtures/cluster/bad/port-as-string.yaml: document 1, line 13: Service shop/web: spec.ports[1].port must be an integer, found a string ("9000")',
    ],
    [
      'bad/hints-not-a-list.yaml',
      'test/fixtures/cluster/bad/hints-not-a-list.yaml: document 1, line 7: EndpointSlice shop/web-1: endpoints[0].hints.forZones must be a list, found a string ("zone-a")',
    ],
    ['bad/list-item-no-kind.yaml', 'test/fixtures/cluster/bad/list-item-no-kind.yaml: document 1, line 10: items[1]: kind not set'],
    [
      'bad/kube-proxy-cm-bad-config.yaml',
      'test/fixtures/cluster/bad/kube-proxy-cm-bad-config.yaml: document 1, line 7: ConfigMap kube-system/kube-proxy: config.conf, line 4: YAML syntax error: unexpected end of the stream within a flow collection',
    ],
    ['bad/no-manifests', 'error reading [test/fixtures/cluster/bad/no-manifests]: recognized file extensions are [.json .yaml .yml]'],
  ];
  for (const [file, message] of cases) {
    it(`${file}: ${message.replace(/^.*?: document \d+, line \d+: /, '')}`, async () => {
      await assert.rejects(load([fixture(file)]), (e: unknown) => e instanceof InputError && e.message === message);
    });
  }

  it('names STDIN for standard input', async () => {
    await assert.rejects(
      load(['-'], { readStdin: async () => 'apiVersion: v1\nkind: Pod\nmetadata: {}\n' }),
      (e: unknown) => e instanceof InputError && e.message === 'STDIN: document 1, line 3: Pod: metadata.name not set',
    );
  });

  it('stops at the first bad file: no snapshot from the good ones', async () => {
    await assert.rejects(load([fixture('kubectl-create-service.yaml'), fixture('bad/no-kind.yaml')]), InputError);
  });

  it('exits 2 with the message as the only stderr line (svctrace get -f)', async () => {
    const r = await runCli(['node', 'svctrace', 'get', 'svc', '-f', fixture('bad/no-name.yaml')]);
    assert.equal(r.exitCode, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'error: test/fixtures/cluster/bad/no-name.yaml: document 2, line 8: Service: metadata.name not set\n');
  });
});
