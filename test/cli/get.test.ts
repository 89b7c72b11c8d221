import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../../src/cli/main.js';
import { schemaEnv } from '../explain/schema.js';

const cli = (args: string[], now = '2020-09-07T00:00:00Z') => runCli(['node', 'svctrace', ...args], { env: { SVCTRACE_NOW: now } });
const demo = (args: string[], now?: string) => cli(['--demo', ...args], now);

interface WalkthroughTable {
  id: string;
  command: string;
  args: string[];
  now: string;
  lines: string[];
}
const walkthrough = JSON.parse(readFileSync(new URL('../fixtures/get/walkthrough-tables.json', import.meta.url), 'utf8')) as {
  tables: WalkthroughTable[];
};
const table = (id: string) => walkthrough.tables.find((t) => t.id === id)!;

/** The walkthrough collapsed runs of spaces; do the same to our lines. */
const collapse = (line: string) => line.replace(/ +/g, ' ');
/** Our cells: tabwriter leaves at least 3 spaces between cells (and cells hold at most single spaces). */
const cellsOf = (line: string) => line.split(/ {3,}/);
const lines = (text: string) => text.replace(/\n$/, '').split('\n');

/**
 * kubectl's layout rule, written independently of the tabwriter port: each column but the
 * last is as wide as its widest cell plus 3, at least 6; the last is not padded.
 */
function alignByRule(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(6, ...rows.map((r) => (r[c] ?? '').length + 3)));
  return rows.map((r) => r.map((cell, c) => (c < r.length - 1 ? cell.padEnd(widths[c]!) : cell)).join('') + '\n').join('');
}

/** Asserts the walkthrough's rows come out of `out`, cell by cell, the AGE cell (index `age`) aside. */
function assertRowsAgeAside(out: string, t: WalkthroughTable, age: number, rows: number[]): void {
  const ours = lines(out);
  assert.equal(collapse(ours[0]!), t.lines[0], 'header');
  for (const i of rows) {
    const want = t.lines[i]!.split(' ');
    const got = ours.map(cellsOf).find((c) => c[0] === want[0]);
    assert.ok(got, `row ${want[0]} is printed`);
    assert.deepEqual(
      got.filter((_, c) => c !== age),
      want.filter((_, c) => c !== age),
      `cells of ${want[0]} (AGE aside)`,
    );
  }
}

describe("svctrace --demo get: the walkthrough's tables", () => {
  it('get services -n test-services prints the rows of `oc get services` after new-app (2m36s)', async () => {
    const t = table('test-services-svc-after-new-app');
    const r = await demo(t.args, t.now);
    assert.equal(r.exitCode, 0);
    assertRowsAgeAside(r.stdout, t, 5, [1, 2]);
    // With SVCTRACE_NOW at that moment the AGE matches too. The demo is the final state: minio,
    // created the next day, is listed as well (its age is then negative: <invalid>).
    const ours = lines(r.stdout).map(collapse);
    assert.deepEqual(ours, [t.lines[0], t.lines[1], 'minio ExternalName <none> minio.ocp4.labs.semperti.local <none> <invalid>', t.lines[2]]);
  });

  it('get svc -n test-services prints `oc get svc` with minio exactly, AGE included (23h, 3s)', async () => {
    const t = table('test-services-svc-with-minio');
    const r = await demo(t.args, t.now);
    assert.deepEqual(lines(r.stdout).map(collapse), t.lines);
    // Columns: Name, Type, Cluster-IP, External-IP, Port(s), Age
    assert.equal(
      r.stdout,
      'NAME                  TYPE           CLUSTER-IP      EXTERNAL-IP                      PORT(S)    AGE\n' +
        'django-psql-example   ClusterIP      172.30.85.132   <none>                           8080/TCP   23h\n' +
        'minio                 ExternalName   <none>          minio.ocp4.labs.semperti.local   <none>     3s\n' +
        'postgresql            ClusterIP      172.30.194.95   <none>                           5432/TCP   23h\n',
    );
  });

  it('get endpoints -n test-services reproduces the postgresql row; django has the final three pods', async () => {
    const t = table('test-services-endpoints-one-pod');
    const r = await demo(t.args, t.now);
    const ours = lines(r.stdout).map(collapse);
    assert.equal(ours[0], t.lines[0]);
    // The walkthrough listed endpoints while django-psql-example had one pod; the demo holds
    // the final state (scaled to 3), so only the postgresql row can match exactly.
    assert.equal(ours[2], t.lines[2]);
    assert.equal(ours[1], 'django-psql-example 10.254.4.24:8080,10.254.5.61:8080,10.254.5.66:8080 53m');
  });

  it('get pods -o wide -l name=django-psql-example prints hhng7 as the first listing did (50m)', async () => {
    const t = table('test-services-pods-one-replica');
    const r = await demo(t.args, t.now);
    assert.equal(r.exitCode, 0);
    const ours = lines(r.stdout).map(collapse);
    assert.equal(ours[0], t.lines[0]);
    assert.ok(ours.includes(t.lines[1]!), 'hhng7 row, AGE included');
  });

  it('get pods -o wide -l name=django-psql-example prints grddz (3m49s) and hhng7 (60m) as after scaling to 2', async () => {
    const t = table('test-services-pods-two-replicas');
    const r = await demo(t.args, t.now);
    assertRowsAgeAside(r.stdout, t, 4, [1, 2]);
    const ours = lines(r.stdout).map(collapse);
    // Both rows exactly; the demo's third pod (-xk5tb, scaled in later) is listed too.
    assert.deepEqual(ours.slice(0, 3), t.lines);
    assert.equal(ours.length, 4);
    assert.match(ours[3]!, /^django-psql-example-1-xk5tb 1\/1 Running 0 <invalid> 10\.254\.5\.66 /);
  });

  it('get svc -n test-nodeport prints the NodePort listing exactly (109s, 7h36m)', async () => {
    const t = table('test-nodeport-svc');
    const r = await demo(t.args, t.now);
    assert.deepEqual(lines(r.stdout).map(collapse), t.lines);
  });

  it('get svc -n test-loadbalancer prints the ELB hostname whole, aligned as kubectl aligns it', async () => {
    const t = table('test-loadbalancer-svc');
    const r = await demo(t.args, t.now);
    assert.deepEqual(lines(r.stdout).map(collapse), t.lines);
    // Columns: Name (19+3), Type (12+3), Cluster-IP (13+3), External-IP (70+3), Port(s) (14+3), Age
    const host = 'ac5c317cb9b0843588100b1b8889d999-389844834.us-east-2.elb.amazonaws.com';
    assert.equal(
      r.stdout,
      'NAME'.padEnd(22) + 'TYPE'.padEnd(15) + 'CLUSTER-IP'.padEnd(16) + 'EXTERNAL-IP'.padEnd(73) + 'PORT(S)'.padEnd(17) + 'AGE\n' +
        'django-psql-example'.padEnd(22) + 'LoadBalancer'.padEnd(15) + '172.30.7.213'.padEnd(16) + host.padEnd(73) + '8080:30927/TCP'.padEnd(17) + '3s\n' +
        'postgresql'.padEnd(22) + 'ClusterIP'.padEnd(15) + '172.30.201.42'.padEnd(16) + '<none>'.padEnd(73) + '5432/TCP'.padEnd(17) + '72s\n',
    );
  });

  it('aligns every walkthrough table by the tabwriter rule (widest cell + 3, at least 6, last column unpadded)', async () => {
    for (const t of walkthrough.tables) {
      const r = await demo(t.args, t.now);
      const rows = lines(r.stdout).map(cellsOf);
      assert.equal(r.stdout, alignByRule(rows), t.id);
      assert.ok(!/ \n/.test(r.stdout), `${t.id}: no trailing spaces`);
    }
  });
});

describe('svctrace get: flags', () => {
  it('-A prepends NAMESPACE and lists every namespace, sorted by namespace then name', async () => {
    const r = await demo(['get', 'svc', '-A']);
    const ours = lines(r.stdout).map(cellsOf);
    assert.deepEqual(ours[0]!.slice(0, 2), ['NAMESPACE', 'NAME']);
    assert.deepEqual(
      ours.slice(1).map((c) => `${c[0]}/${c[1]}`),
      [
        'test-loadbalancer/django-psql-example',
        'test-loadbalancer/postgresql',
        'test-nodeport/django-psql-example',
        'test-nodeport/postgresql',
        'test-services/django-psql-example',
        'test-services/minio',
        'test-services/postgresql',
      ],
    );
  });

  it('-l filters by labels; --no-headers drops the header', async () => {
    const r = await demo(['get', 'svc', '-n', 'test-services', '-l', 'app=minio', '--no-headers']);
    assert.deepEqual(lines(r.stdout).map(cellsOf).map((c) => c[0]), ['minio']);
  });

  it('--show-labels appends LABELS as the last column', async () => {
    const r = await demo(['get', 'svc', 'minio', '-n', 'test-services', '--show-labels']);
    const ours = lines(r.stdout).map(cellsOf);
    assert.equal(ours[0]!.at(-1), 'LABELS');
    assert.equal(ours[1]!.at(-1), 'app=minio');
  });

  it('-o wide adds SELECTOR to services', async () => {
    const r = await demo(['get', 'svc', 'postgresql', '-n', 'test-nodeport', '-o', 'wide']);
    const ours = lines(r.stdout).map(cellsOf);
    assert.equal(ours[0]!.at(-1), 'SELECTOR');
    assert.equal(ours[1]!.at(-1), 'name=postgresql');
  });

  it('nodes are cluster-scoped: -n is ignored and -A adds no NAMESPACE column', async () => {
    const a = await demo(['get', 'nodes', '-n', 'nowhere']);
    const b = await demo(['get', 'no', '-A']);
    assert.equal(a.stdout, b.stdout);
    assert.match(a.stdout, /^NAME +STATUS +ROLES +AGE +VERSION\nworker0\.ocp4\.labs\.semperti\.local +Ready +worker /);
  });

  it('prints one table per type for svc,ep, separated by a blank line, names prefixed with their kind', async () => {
    const r = await demo(['get', 'svc,ep', '-n', 'test-nodeport']);
    const blocks = r.stdout.split('\n\n');
    assert.equal(blocks.length, 2);
    assert.match(blocks[0]!, /^NAME +TYPE .*\nservice\/django-psql-example +NodePort /);
    assert.match(blocks[1]!, /^NAME +ENDPOINTS +AGE\nendpoints\/django-psql-example +10\.254\.3\.22:8080,/);
  });

  it('accepts type/name arguments and endpointslice.discovery.k8s.io', async () => {
    const r = await demo(['get', 'svc/minio', 'endpointslice.discovery.k8s.io/postgresql-x9lzm', '-n', 'test-services', '-o', 'name']);
    assert.equal(r.stdout, 'service/minio\nendpointslice.discovery.k8s.io/postgresql-x9lzm\n');
  });
});

describe('svctrace get: -o json, yaml, name', () => {
  it('-o json of one named object prints that object, keys sorted, 4-space indent', async () => {
    const r = await demo(['get', 'svc', 'django-psql-example', '-n', 'test-services', '-o', 'json']);
    const obj = JSON.parse(r.stdout);
    assert.equal(obj.kind, 'Service');
    assert.equal(obj.spec.clusterIP, '172.30.85.132');
    assert.match(r.stdout, /^\{\n {4}"apiVersion": "v1",\n {4}"kind": "Service",\n {4}"metadata": \{\n {8}"annotations": \{/);
  });

  it('-o json of a listing prints a v1 List with an empty resourceVersion', async () => {
    const r = await demo(['get', 'svc', '-n', 'test-nodeport', '-o', 'json']);
    const list = JSON.parse(r.stdout);
    assert.equal(list.kind, 'List');
    assert.deepEqual(list.metadata, { resourceVersion: '' });
    assert.deepEqual(list.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['django-psql-example', 'postgresql']);
    assert.ok(list.items.every((i: { apiVersion?: string; kind?: string }) => i.apiVersion === 'v1' && i.kind === 'Service'));
  });

  it("-o yaml prints the walkthrough's service as `oc get svc -o yaml` did", async () => {
    const r = await demo(['get', 'svc', 'django-psql-example', '-n', 'test-nodeport', '-o', 'yaml']);
    // From the walkthrough (indentation restored as go-yaml writes it: 2 spaces, lists not indented).
    assert.equal(
      r.stdout,
      [
        'apiVersion: v1',
        'kind: Service',
        'metadata:',
        '  creationTimestamp: "2020-09-06T19:23:08Z"',
        '  labels:',
        '    app: django-psql-example',
        '    template: django-psql-example',
        '  name: django-psql-example',
        '  namespace: test-nodeport',
        '  resourceVersion: "1121267"',
        '  selfLink: /api/v1/namespaces/test-nodeport/services/django-psql-example',
        '  uid: 715909af-caa9-467b-8e5b-11e3a99624d5',
        'spec:',
        '  clusterIP: 172.30.191.202',
        '  externalTrafficPolicy: Cluster',
        '  ports:',
        '  - nodePort: 32291',
        '    port: 8080',
        '    protocol: TCP',
        '    targetPort: 8080',
        '  selector:',
        '    name: django-psql-example',
        '  sessionAffinity: None',
        '  type: NodePort',
        'status:',
        '  loadBalancer: {}',
        '',
      ].join('\n'),
    );
  });

  it('-o name lists kind/name', async () => {
    const r = await demo(['get', 'po', '-n', 'test-nodeport', '-o', 'name', '-l', 'name=postgresql']);
    assert.equal(r.stdout, 'pod/postgresql-1-7vbzm\n');
  });

  it('-o json with nothing found prints an empty List and no "No resources found"', async () => {
    const r = await demo(['get', 'svc', '-n', 'empty', '-o', 'json']);
    assert.deepEqual(JSON.parse(r.stdout), { apiVersion: 'v1', items: [], kind: 'List', metadata: { resourceVersion: '' } });
    assert.equal(r.stderr, '');
  });
});

describe('svctrace get: errors and empty results', () => {
  it('says "No resources found in NS namespace." on stderr, exit 0, for an empty namespace', async () => {
    const r = await demo(['get', 'pods', '-n', 'empty']);
    assert.deepEqual([r.stdout, r.stderr, r.exitCode], ['', 'No resources found in empty namespace.\n', 0]);
  });

  it('says "No resources found" for cluster-scoped kinds and with -A', async () => {
    const r = await demo(['get', 'pods', '-A', '-l', 'nothing=here']);
    assert.deepEqual([r.stdout, r.stderr, r.exitCode], ['', 'No resources found\n', 0]);
    const n = await demo(['get', 'nodes', '-l', 'nothing=here']);
    assert.equal(n.stderr, 'No resources found\n');
  });

  it("prints kubectl's NotFound error for a missing name, exit 2, and still prints the found ones", async () => {
    const r = await demo(['get', 'svc', 'postgresql', 'nope', '-n', 'test-services']);
    assert.equal(r.exitCode, 2);
    assert.equal(r.stderr, 'Error from server (NotFound): services "nope" not found\n');
    assert.match(r.stdout, /^NAME +TYPE .*\npostgresql +ClusterIP /);
  });

  it('names the qualified resource for EndpointSlices', async () => {
    const r = await demo(['get', 'endpointslices', 'nope', '-n', 'test-services']);
    assert.equal(r.stderr, 'Error from server (NotFound): endpointslices.discovery.k8s.io "nope" not found\n');
    assert.equal(r.stdout, '');
  });

  it('rejects an unknown type as kubectl does, and a Kubernetes type it does not read with a pointer to kubectl', async () => {
    const run = (args: string[]) => runCli(['node', 'svctrace', '--demo', ...args], { env: { SVCTRACE_NOW: '2020-09-07T00:00:00Z', ...schemaEnv() } });
    const unknown = await run(['get', 'widgets']);
    assert.deepEqual([unknown.stdout, unknown.stderr, unknown.exitCode], ['', 'error: the server doesn\'t have a resource type "widgets"\n', 2]);
    const deploy = await run(['get', 'svc,deploy']);
    assert.deepEqual(
      [deploy.stdout, deploy.stderr, deploy.exitCode],
      ['', 'error: svctrace get reads services, endpoints, endpointslices, pods and nodes, not deployments.apps: use kubectl get deploy\n', 2],
    );
    assert.match((await run(['get', 'Namespaces'])).stderr, /, not namespaces: use kubectl get Namespaces\n$/);
  });

  it('rejects an unknown -o listing the allowed formats', async () => {
    const r = await demo(['get', 'svc', '-o', 'jsonpath={.items}']);
    assert.equal(r.stderr, 'error: unable to match a printer suitable for the output format "jsonpath={.items}", allowed formats are: json,name,wide,yaml\n');
    assert.equal(r.exitCode, 2);
  });

  it('rejects a bad selector in one line', async () => {
    const r = await demo(['get', 'svc', '-l', 'a b']);
    assert.equal(r.exitCode, 2);
    assert.match(r.stderr, /^error: the provided selector "a b" is not valid: .*\n$/);
  });

  it('rejects names with -A or -l, as kubectl does', async () => {
    assert.equal((await demo(['get', 'svc', 'x', '-A'])).stderr, 'error: a resource cannot be retrieved by name across all namespaces\n');
    assert.equal((await demo(['get', 'svc', 'x', '-l', 'a=b'])).stderr, 'error: name cannot be provided when a selector is specified\n');
  });
});

describe('svctrace get -f: objects from a file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'svctrace-get-'));
  const file = join(dir, 'objects.yaml');
  writeFileSync(
    file,
    [
      'apiVersion: discovery.k8s.io/v1',
      'kind: EndpointSlice',
      'metadata: {name: empty-abcde, namespace: default, creationTimestamp: "2020-09-06T23:59:55Z", labels: {kubernetes.io/service-name: empty}}',
      'addressType: IPv4',
      'endpoints: []',
      '---',
      'apiVersion: v1',
      'kind: Service',
      'metadata: {name: lb, namespace: default, creationTimestamp: "2020-09-06T23:00:00Z"}',
      'spec: {type: LoadBalancer, clusterIP: 10.0.0.9, ports: [{port: 80, nodePort: 30080}]}',
      '',
    ].join('\n'),
  );

  it('prints <unset> for a slice without ports or endpoints and <pending> for a load balancer without ingress', async () => {
    const r = await cli(['-f', file, 'get', 'endpointslices,svc']);
    assert.equal(r.exitCode, 0, r.stderr);
    const blocks = r.stdout.split('\n\n');
    // Columns: Name, AddressType, Ports, Endpoints, Age
    assert.deepEqual(cellsOf(lines(blocks[0]!)[1]!), ['endpointslice.discovery.k8s.io/empty-abcde', 'IPv4', '<unset>', '<unset>', '5s']);
    // Columns: Name, Type, Cluster-IP, External-IP, Port(s), Age
    assert.deepEqual(cellsOf(lines(blocks[1]!)[1]!), ['service/lb', 'LoadBalancer', '10.0.0.9', '<pending>', '80:30080/TCP', '60m']);
  });

  // kubectl's get.go Run: a blank line goes before a type's table only when the output has
  // headers and something was printed before it (separatorWriter, trackingWriter.Written > 0);
  // names carry their kind whenever the answer spans several kinds (multipleGVKsRequested),
  // an empty listing included.
  it('puts no blank line before the first printed table, nor between tables with --no-headers', async () => {
    const empty = await cli(['-f', file, 'get', 'pods,svc']);
    assert.match(empty.stdout, /^NAME +TYPE +CLUSTER-IP .*\nservice\/lb +LoadBalancer /);
    const noHeaders = await cli(['-f', file, 'get', 'endpointslices,svc', '--no-headers']);
    assert.equal(lines(noHeaders.stdout).length, 2, noHeaders.stdout);
    assert.match(noHeaders.stdout, /^endpointslice\.discovery\.k8s\.io\/empty-abcde +IPv4 .*\nservice\/lb +LoadBalancer /);
  });
});
