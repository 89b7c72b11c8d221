// The demo cluster against the walkthrough (test/fixtures/cluster/walkthrough-oc-get.txt holds its
// `oc get` excerpts) and the facts it implies (shared/seed/FACTS.md: addresses, ports, chains).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Document } from 'yaml';
import { runCli } from '../../src/cli/main.js';
import { DEMO_NAMESPACE, loadDemo } from '../../src/cluster/demo.js';
import { deriveEndpointSlices } from '../../src/cluster/derive.js';
import { endpointSlicesFor, explainPodEndpoints, podsForService, slicesFromEndpoints } from '../../src/cluster/resolver.js';
import type { EndpointSlice, KubeObject, Service } from '../../src/cluster/types.js';
import { endpointChain, servicePortChain, servicePortName } from '../../src/proxy/names.js';

const snapshot = await loadDemo();

/** The walkthrough's blocks by the line of their `$ oc get` command. */
const walkthrough = new Map<number, string[]>();
{
  let current: string[] | null = null;
  for (const line of readFileSync(new URL('../fixtures/cluster/walkthrough-oc-get.txt', import.meta.url), 'utf8').split('\n')) {
    const head = /^=== (\d+) /.exec(line);
    if (head) walkthrough.set(Number(head[1]), (current = []));
    else if (current && line !== '') current.push(line);
  }
}
const block = (line: number) => walkthrough.get(line)!.slice(1); // without the command itself

function find<T extends KubeObject>(list: T[], ns: string, name: string): T {
  const obj = list.find((o) => o.metadata?.namespace === ns && o.metadata?.name === name);
  assert.ok(obj, `${ns}/${name} is in the demo`);
  return obj;
}

/** `oc get -o yaml` layout (go-yaml: sorted keys, lists not indented), without indentation as the walkthrough lost it. */
function ocYamlLines(obj: unknown): string[] {
  const text = new Document(obj, { version: '1.1', sortMapEntries: true }).toString({ indentSeq: false, lineWidth: 0 });
  return text.trimEnd().split('\n').map((l) => l.trimStart());
}

const readyEndpoints = (slices: EndpointSlice[]) =>
  slices
    .flatMap((s) => s.endpoints.filter((e) => e.conditions?.ready !== false).flatMap((e) => e.addresses.map((a) => `${a}:${s.ports?.[0]?.port}`)))
    .sort();

describe('demo: objects copied from the walkthrough', () => {
  it('test-services/django-psql-example is the walkthrough\'s `oc get service -o yaml`, line for line', () => {
    assert.deepEqual(ocYamlLines(find(snapshot.services, 'test-services', 'django-psql-example')), block(104));
  });

  it('test-nodeport/django-psql-example is the walkthrough\'s NodePort service, line for line', () => {
    assert.deepEqual(ocYamlLines(find(snapshot.services, 'test-nodeport', 'django-psql-example')), block(334));
  });

  it('test-loadbalancer/django-psql-example is the walkthrough\'s LoadBalancer service, line for line', () => {
    assert.deepEqual(ocYamlLines(find(snapshot.services, 'test-loadbalancer', 'django-psql-example')), block(457));
  });

  it('the django Endpoints are the walkthrough\'s (after scaling to 2) plus the third pod', () => {
    const ep = structuredClone(find(snapshot.endpoints, 'test-services', 'django-psql-example'));
    const addresses = ep.subsets![0]!.addresses!;
    assert.deepEqual(addresses.map((a) => a.ip), ['10.254.4.24', '10.254.5.61', '10.254.5.66']);
    // Back to the walkthrough's moment: two pods, its resourceVersion and trigger time.
    ep.subsets![0]!.addresses = addresses.slice(0, 2);
    ep.metadata!.resourceVersion = '794095';
    ep.metadata!.annotations!['endpoints.kubernetes.io/last-change-trigger-time'] = '2020-09-05T23:40:40Z';
    assert.deepEqual(ocYamlLines(ep), block(195));
  });

  it('the pods carry the uids and resourceVersions the Endpoints point at', () => {
    for (const a of find(snapshot.endpoints, 'test-services', 'django-psql-example').subsets![0]!.addresses!) {
      const p = find(snapshot.pods, 'test-services', a.targetRef!.name!);
      assert.equal(p.metadata!.uid, a.targetRef!.uid);
      assert.equal(p.metadata!.resourceVersion, a.targetRef!.resourceVersion);
      assert.equal(p.status!.podIP, a.ip);
      assert.equal(p.spec!.nodeName, a.nodeName);
    }
  });
});

describe('demo: the facts behind the walkthrough', () => {
  const svc = (ns: string, name: string) => find(snapshot.services, ns, name);

  it('has every service with its ClusterIP, ports and type', () => {
    const rows = snapshot.services.map((s) => [
      `${s.metadata!.namespace}/${s.metadata!.name}`,
      s.spec!.type,
      s.spec!.clusterIP ?? s.spec!.externalName,
      (s.spec!.ports ?? []).map((p) => `${p.name ?? ''}:${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol}`).join(','),
    ]);
    assert.deepEqual(rows, [
      ['test-services/django-psql-example', 'ClusterIP', '172.30.85.132', 'web:8080/TCP'],
      ['test-services/postgresql', 'ClusterIP', '172.30.194.95', 'postgresql:5432/TCP'],
      ['test-services/minio', 'ExternalName', 'minio.ocp4.labs.semperti.local', ''],
      ['test-nodeport/django-psql-example', 'NodePort', '172.30.191.202', ':8080:32291/TCP'],
      ['test-nodeport/postgresql', 'ClusterIP', '172.30.1.44', 'postgresql:5432/TCP'],
      ['test-loadbalancer/django-psql-example', 'LoadBalancer', '172.30.7.213', ':8080:30927/TCP'],
      ['test-loadbalancer/postgresql', 'ClusterIP', '172.30.201.42', 'postgresql:5432/TCP'],
    ]);
    assert.equal(svc('test-nodeport', 'django-psql-example').spec!.externalTrafficPolicy, 'Cluster');
    assert.deepEqual(svc('test-loadbalancer', 'django-psql-example').status!.loadBalancer!.ingress, [
      { hostname: 'ac5c317cb9b0843588100b1b8889d999-389844834.us-east-2.elb.amazonaws.com' },
    ]);
    assert.deepEqual(svc('test-loadbalancer', 'django-psql-example').metadata!.finalizers, ['service.kubernetes.io/load-balancer-cleanup']);
  });

  // The ready endpoint sets kube-proxy turns into KUBE-SEP chains: the same whether read from the
  // EndpointSlices, from the Endpoints, or derived from the Pods.
  const expected: [string, string, string[]][] = [
    ['test-services', 'django-psql-example', ['10.254.4.24:8080', '10.254.5.61:8080', '10.254.5.66:8080']],
    ['test-services', 'postgresql', ['10.254.5.59:5432']],
    ['test-nodeport', 'django-psql-example', ['10.254.3.22:8080', '10.254.4.25:8080', '10.254.5.71:8080']],
  ];
  for (const [ns, name, endpoints] of expected) {
    it(`${ns}/${name} has exactly the ready endpoints ${endpoints.join(', ')}`, () => {
      const s = svc(ns, name);
      const resolved = endpointSlicesFor(snapshot, s);
      assert.equal(resolved.source, 'EndpointSlice');
      assert.deepEqual(readyEndpoints(resolved.slices), endpoints);
      assert.deepEqual(readyEndpoints(slicesFromEndpoints(find(snapshot.endpoints, ns, name))), endpoints);
      assert.deepEqual(readyEndpoints(deriveEndpointSlices(s, podsForService(snapshot, s), snapshot.nodes)), endpoints);
    });
  }

  it("gives the walkthrough's chain names (FACTS.md) from its services and endpoints", () => {
    const chains = (ns: string, name: string) => {
      const s = svc(ns, name);
      const port = s.spec!.ports![0]!;
      const spn = servicePortName(ns, name, port.name ?? '', true);
      const { slices } = endpointSlicesFor(snapshot, s);
      return {
        svc: servicePortChain('SVC', spn, port.protocol!),
        seps: readyEndpoints(slices).map((ep) => endpointChain(spn, port.protocol!, ep)),
      };
    };
    assert.deepEqual(chains('test-services', 'django-psql-example'), {
      svc: 'KUBE-SVC-GIGN3HAIPPOO23F3',
      seps: ['KUBE-SEP-7ANA7OTZZO5QKVWN', 'KUBE-SEP-JBBKRG73QF24CZJD', 'KUBE-SEP-XU6QRWQ6NFR3D34U'],
    });
    assert.deepEqual(chains('test-nodeport', 'django-psql-example'), {
      svc: 'KUBE-SVC-5YXNK7KOCSOUM3AE',
      seps: ['KUBE-SEP-WBMKBITY6POBVI7J', 'KUBE-SEP-ZRETU3UTQ3EXCFUX', 'KUBE-SEP-2CQOQG2SNEWYJXXO'],
    });
    assert.equal(chains('test-loadbalancer', 'django-psql-example').svc, 'KUBE-SVC-AD7VE3QSWBRYRSA5');
  });

  it('puts each pod on the worker its /24 belongs to, Running and Ready', () => {
    const subnetOf: Record<string, string> = {
      'worker0.ocp4.labs.semperti.local': '10.254.4.',
      'worker1.ocp4.labs.semperti.local': '10.254.3.',
      'worker2.ocp4.labs.semperti.local': '10.254.5.',
    };
    const clusterA = snapshot.pods.filter((p) => p.metadata!.namespace !== 'test-loadbalancer');
    assert.equal(clusterA.length, 8);
    for (const p of clusterA) {
      assert.ok(p.status!.podIP!.startsWith(subnetOf[p.spec!.nodeName!]!), `${p.metadata!.name} ${p.status!.podIP} on ${p.spec!.nodeName}`);
      assert.equal(p.status!.phase, 'Running');
    }
    for (const p of snapshot.pods.filter((p) => p.metadata!.namespace === 'test-loadbalancer')) {
      assert.match(p.status!.podIP!, /^10\.(12[89]|13[01])\./, 'cluster B pods are in 10.128.0.0/14');
    }
    for (const svcObj of snapshot.services) {
      for (const e of explainPodEndpoints(snapshot, svcObj)) assert.ok(e.endpoint && e.ready, `${e.pod.metadata!.name} is a ready endpoint`);
    }
  });

  it('has the named django pods where the walkthrough saw them', () => {
    const where = (name: string) => {
      const p = find(snapshot.pods, 'test-services', name);
      return [p.status!.podIP, p.spec!.nodeName];
    };
    assert.deepEqual(where('django-psql-example-1-hhng7'), ['10.254.5.61', 'worker2.ocp4.labs.semperti.local']);
    assert.deepEqual(where('django-psql-example-1-grddz'), ['10.254.4.24', 'worker0.ocp4.labs.semperti.local']);
  });

  it('has the three Ready workers with their InternalIPs', () => {
    assert.deepEqual(
      snapshot.nodes.map((n) => [
        n.metadata!.name,
        n.status!.addresses!.find((a) => a.type === 'InternalIP')!.address,
        n.status!.conditions!.find((c) => c.type === 'Ready')!.status,
        n.metadata!.labels!['node-role.kubernetes.io/worker'],
        n.status!.nodeInfo!.kubeletVersion,
      ]),
      [
        ['worker0.ocp4.labs.semperti.local', '10.252.7.235', 'True', '', 'v1.16.2'],
        ['worker1.ocp4.labs.semperti.local', '10.252.7.236', 'True', '', 'v1.16.2'],
        ['worker2.ocp4.labs.semperti.local', '10.252.7.237', 'True', '', 'v1.16.2'],
      ],
    );
  });

  it("carries cluster A's networks for the proxy model, and starts in test-services", () => {
    assert.deepEqual(snapshot.proxy?.clusterNetworkCIDRs, ['10.254.0.0/16']);
    assert.deepEqual(snapshot.proxy?.serviceNetworkCIDRs, ['172.30.0.0/16']);
    assert.equal(snapshot.proxy?.networkType, 'OpenShiftSDN');
    assert.deepEqual(snapshot.namespaces.map((n) => n.metadata!.name), ['test-services', 'test-nodeport', 'test-loadbalancer']);
    assert.equal(snapshot.defaultNamespace, DEMO_NAMESPACE);
    assert.equal(DEMO_NAMESPACE, 'test-services');
  });

  it('keeps every EndpointSlice consistent with its Endpoints', () => {
    for (const s of snapshot.services.filter((x: Service) => x.spec!.type !== 'ExternalName')) {
      const ns = s.metadata!.namespace!;
      const name = s.metadata!.name!;
      const fromSlices = endpointSlicesFor(snapshot, s).slices;
      const fromEndpoints = slicesFromEndpoints(find(snapshot.endpoints, ns, name));
      const view = (slices: EndpointSlice[]) =>
        slices.flatMap((sl) => sl.endpoints.map((e) => [e.addresses[0], e.nodeName, e.targetRef?.name, e.targetRef?.uid, sl.ports?.map((p) => `${p.name}:${p.port}/${p.protocol}`)]));
      assert.deepEqual(view(fromSlices), view(fromEndpoints), `${ns}/${name}`);
    }
  });
});

describe('demo: the AGE columns of the walkthrough\'s listings (docs/sources.md, SVCTRACE_NOW)', () => {
  // Each row of the table in docs/sources.md: walkthrough line, SVCTRACE_NOW, svctrace arguments.
  const docs = readFileSync(new URL('../../docs/sources.md', import.meta.url), 'utf8');
  const rows = [...docs.matchAll(/^\| (\d+) \| [^|]+ \| `([^`]+)` \| `svctrace --demo ([^`]+)` \|/gm)].map((m) => ({
    line: Number(m[1]),
    now: m[2]!,
    args: m[3]!.split(' '),
  }));

  it('lists every walkthrough listing that has an AGE column', () => {
    assert.deepEqual(rows.map((r) => r.line), [97, 145, 184, 235, 327, 427, 450]);
  });

  for (const { line, now, args } of rows) {
    it(`line ${line}: \`svctrace --demo ${args.join(' ')}\` at ${now} prints the walkthrough's rows`, async () => {
      const r = await runCli(['node', 'svctrace', '--demo', ...args], { env: { SVCTRACE_NOW: now } });
      assert.equal(r.exitCode, 0, r.stderr);
      const [header, ...expected] = block(line);
      const lines = r.stdout.trimEnd().split('\n');
      assert.equal(lines[0]!.replace(/\s+/g, ' '), header);
      const cells = (l: string) => l.trim().split(/\s+/);
      const got = new Map(lines.slice(1).map((l) => [cells(l)[0], cells(l)]));
      const endpointsColumn = cells(header!).indexOf('ENDPOINTS');
      for (const row of expected) {
        const want = cells(row);
        const have = got.get(want[0]!);
        assert.ok(have, `${want[0]} is listed`);
        // ENDPOINTS shows the final state (three django pods), not the moment of the listing.
        if (endpointsColumn >= 0) have[endpointsColumn] = want[endpointsColumn]!;
        assert.deepEqual(have, want);
      }
    });
  }
});

