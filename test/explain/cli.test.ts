// `svctrace explain` end to end on the offline schema (runCli in-process, no cluster:
// the environment has no kubeconfig, or --demo / -f is given). Expected texts are the
// walkthrough's `oc explain service` and kubectl v1.32.4's output for the same schema
// (test/fixtures/explain/README.md).
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../../src/cli/main.js';
import { schemaDir as findSchemaDir } from '../../src/explain/offline-source.js';
import { fixture, schemaDir, schemaEnv } from './schema.js';

const explain = (...args: string[]) => runCli(['node', 'svctrace', 'explain', ...args], { env: schemaEnv() });

/** What the blog did to the text: leading whitespace and runs of spaces collapsed, blank lines dropped. */
const collapse = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim().replace(/\s+/g, ' '))
    .filter(Boolean);

describe('explain service (the walkthrough)', () => {
  it('prints what `oc explain service` printed in the walkthrough, line breaks included', async () => {
    const r = await explain('service');
    assert.equal(r.exitCode, 0);
    const want = collapse(fixture('walkthrough-oc-explain-service.txt'));
    assert.deepEqual(collapse(r.stdout).slice(0, want.length), want);
  });

  it('lays it out as kubectl does: KIND, VERSION, blank, DESCRIPTION indented 4, FIELDS', async () => {
    const r = await explain('service');
    assert.equal(r.stdout, fixture('kubectl-generated/service.txt'));
    assert.ok(
      r.stdout.startsWith(
        'KIND:       Service\nVERSION:    v1\n\nDESCRIPTION:\n' +
          '    Service is a named abstraction of software service (for example, mysql)\n' +
          '    consisting of local port (for example 3306) that the proxy listens on, and\n' +
          '    the selector that determines which pods will answer requests sent through\n' +
          '    the proxy.\n    \nFIELDS:\n  apiVersion\t<string>\n',
      ),
    );
    assert.ok(r.stdout.endsWith('\n\n'), 'a blank line after the last field, then the final newline');
    assert.equal(r.stderr, '');
  });

  it('is the same for svc, services, Service and a trailing dot', async () => {
    const want = (await explain('service')).stdout;
    for (const name of ['svc', 'services', 'Service', 'svc.']) assert.equal((await explain(name)).stdout, want, name);
  });

  it('works with --demo and with -f (explain never reads the objects)', async () => {
    const want = (await explain('service')).stdout;
    assert.equal((await explain('service', '--demo')).stdout, want);
    const r = await runCli(['node', 'svctrace', '-f', '/nonexistent.yaml', 'explain', 'svc'], { env: schemaEnv() });
    assert.equal(r.stdout, want);
  });
});

describe('explain service.spec.type', () => {
  it('prints FIELD, the ENUM block and the description with its enum notes', async () => {
    const r = await explain('service.spec.type');
    assert.equal(r.exitCode, 0);
    assert.equal(r.stdout, fixture('kubectl-generated/service-spec-type.txt'));
    assert.ok(r.stdout.startsWith('KIND:       Service\nVERSION:    v1\n\nFIELD: type <string>\nENUM:\n    ClusterIP\n    ExternalName\n    LoadBalancer\n    NodePort\n\nDESCRIPTION:\n    type determines'));
    assert.match(r.stdout, /\n    \n    Possible enum values:\n     - `"ClusterIP"` means a service will only be accessible inside the cluster,\n    via the cluster IP\.\n/);
  });

  it('leaves two blank lines after a FIELD line without an enum', async () => {
    const r = await explain('svc.spec.clusterIP');
    assert.ok(r.stdout.startsWith('KIND:       Service\nVERSION:    v1\n\nFIELD: clusterIP <string>\n\n\nDESCRIPTION:\n'), r.stdout);
  });

  it('prints the short enum line under a field in FIELDS', async () => {
    const r = await explain('svc.spec');
    assert.match(r.stdout, /\n  type\t<string>\n  enum: ClusterIP, ExternalName, LoadBalancer, NodePort\n    type determines how the Service is exposed\./);
    assert.match(r.stdout, /\n  ports\t<\[\]ServicePort>\n/);
    assert.match(r.stdout, /\n  selector\t<map\[string\]string>\n/);
  });

  it('names types as kubectl does: IntOrString, int32 as integer, Time as string, Quantity maps', async () => {
    assert.match((await explain('svc.spec.ports')).stdout, /\n  port\t<integer> -required-\n/);
    assert.match((await explain('svc.spec.ports')).stdout, /\n  targetPort\t<IntOrString>\n/);
    assert.match((await explain('svc.metadata')).stdout, /\n  creationTimestamp\t<string>\n/);
    assert.match((await explain('po.spec.containers.resources')).stdout, /\n  limits\t<map\[string\]Quantity>\n/);
    assert.match((await explain('pods.spec')).stdout, /\n  containers\t<\[\]Container> -required-\n/);
  });
});

describe('explain --recursive', () => {
  it('prints the field tree without descriptions', async () => {
    const r = await explain('svc.spec', '--recursive');
    assert.equal(r.stdout, fixture('kubectl-generated/service-spec-recursive.txt'));
    assert.match(r.stdout, /\n  ports\t<\[\]ServicePort>\n    appProtocol\t<string>\n/);
  });

  it('stops at cycles (JSONSchemaProps refers to itself)', async () => {
    const r = await explain('crd.spec.versions.schema', '--recursive');
    assert.equal(r.exitCode, 0);
    assert.match(r.stdout, /\n    not\t<JSONSchemaProps>\n/);
  });
});

describe('other kinds and groups', () => {
  it('prints GROUP for a non-core kind (endpointslices)', async () => {
    const r = await explain('endpointslices');
    assert.equal(r.stdout, fixture('kubectl-generated/endpointslices.txt'));
    assert.ok(r.stdout.startsWith('GROUP:      discovery.k8s.io\nKIND:       EndpointSlice\nVERSION:    v1\n\n'));
  });

  it('explains endpoints, pods and nodes by their short names', async () => {
    assert.ok((await explain('ep')).stdout.startsWith('KIND:       Endpoints\nVERSION:    v1\n'));
    assert.ok((await explain('po.spec.nodeName')).stdout.startsWith('KIND:       Pod\nVERSION:    v1\n\nFIELD: nodeName <string>\n'));
    assert.ok((await explain('no.spec.podCIDRs')).stdout.startsWith('KIND:       Node\nVERSION:    v1\n\nFIELD: podCIDRs <[]string>\n'));
    assert.ok((await explain('ns')).stdout.startsWith('KIND:       Namespace\n'));
  });

  it('takes a group-qualified name and the field path after it', async () => {
    const r = await explain('endpointslices.discovery.k8s.io.endpoints.conditions.ready');
    assert.ok(r.stdout.startsWith('GROUP:      discovery.k8s.io\nKIND:       EndpointSlice\nVERSION:    v1\n\nFIELD: ready <boolean>\n'), r.stdout);
  });

  it('--api-version picks another version of the same group', async () => {
    const v2 = await explain('hpa');
    const v1 = await explain('hpa', '--api-version', 'autoscaling/v1');
    assert.ok(v2.stdout.startsWith('GROUP:      autoscaling\nKIND:       HorizontalPodAutoscaler\nVERSION:    v2\n'));
    assert.ok(v1.stdout.startsWith('GROUP:      autoscaling\nKIND:       HorizontalPodAutoscaler\nVERSION:    v1\n'));
    assert.match(v1.stdout, /\n  spec\t<HorizontalPodAutoscalerSpec>/);
  });

  it('warns on stderr when a short name is ambiguous, as kubectl does', async () => {
    const r = await explain('ev');
    assert.equal(r.exitCode, 0);
    assert.ok(r.stdout.startsWith('KIND:       Event\nVERSION:    v1\n'));
    assert.equal(r.stderr, 'Warning: short name "ev" could also match lower priority resource events.events.k8s.io\n');
  });
});

describe('errors: one line, exit 2', () => {
  // Columns: arguments, the stderr line (kubectl v1.32.4's message; kubectl omits "error: " on the first).
  const cases: [string[], string][] = [
    [['foo'], 'error: the server doesn\'t have a resource type "foo"'],
    [['svc.spec.nope'], 'error: field "nope" does not exist'],
    [['svc.spec.type.foo'], 'error: field "foo" does not exist'],
    [['service..spec'], 'error: invalid jsonpath syntax, first node must be field node'],
    [['svc', '--api-version=v2'], 'error: couldn\'t find resource for "/v2, Resource=services"'],
    [['svc', '--api-version=apps/v1'], 'error: GVR (apps/v1, Resource=services) not found in OpenAPI schema'],
    [['svc', '--api-version=a/b/c'], 'error: unexpected GroupVersion string: a/b/c'],
    [['svc', '-o', 'yaml'], 'error: unrecognized format: yaml'],
  ];
  for (const [args, line] of cases) {
    it(`explain ${args.join(' ')}`, async () => {
      const r = await explain(...args);
      assert.equal(r.exitCode, 2);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, line + '\n');
    });
  }

  it('accepts -o plaintext, kubectl explain\'s default', async () => {
    assert.equal((await explain('svc', '-o', 'plaintext')).exitCode, 0);
  });
});

describe('the offline schema files', () => {
  let partial: string;
  before(() => {
    // Only the index, discovery and the core document: explain svc must need nothing else.
    partial = mkdtempSync(join(tmpdir(), 'svctrace-explain-partial-'));
    const index = JSON.parse(readFileSync(join(schemaDir(), 'openapi-v3.json'), 'utf8'));
    for (const f of ['openapi-v3.json', 'discovery.json', index.paths['api/v1'].file]) copyFileSync(join(schemaDir(), f), join(partial, f));
  });
  after(() => rmSync(partial, { recursive: true, force: true }));

  it('reads only the group-version document it needs', async () => {
    const r = await runCli(['node', 'svctrace', 'explain', 'svc.spec.type'], { env: { SVCTRACE_EXPLAIN_SCHEMA: partial } });
    assert.equal(r.exitCode, 0);
    assert.equal(r.stdout, (await explain('svc.spec.type')).stdout);
    const other = await runCli(['node', 'svctrace', 'explain', 'deploy'], { env: { SVCTRACE_EXPLAIN_SCHEMA: partial } });
    assert.equal(other.exitCode, 4);
    assert.match(other.stderr, /^error: cannot read the offline explain schema .*apis__apps__v1_openapi\.json/);
  });

  it('says to run `npm run build` when the schema was never generated', () => {
    const empty = mkdtempSync(join(tmpdir(), 'svctrace-explain-none-'));
    try {
      assert.throws(() => findSchemaDir({}, [empty, join(empty, 'dist')]), /the offline explain schema is missing \(.*openapi-v3\.json\): run `npm run build` to generate it/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('says which folder SVCTRACE_EXPLAIN_SCHEMA points at when it holds no schema', async () => {
    const r = await runCli(['node', 'svctrace', 'explain', 'svc'], { env: { SVCTRACE_EXPLAIN_SCHEMA: '/nonexistent-dir' } });
    assert.equal(r.exitCode, 4);
    assert.equal(r.stderr, 'error: the offline explain schema is missing (/nonexistent-dir/openapi-v3.json): SVCTRACE_EXPLAIN_SCHEMA points at a folder without it\n');
  });
});
