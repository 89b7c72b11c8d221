// docs/live.md's RBAC is the smallest that suffices: every command works against a server
// that grants exactly those rules (no "forbidden" anywhere, even under -v), and taking any
// one permission away makes some command fail or lose its proxy settings. The rules are read
// from the doc itself, so the doc cannot drift from what svctrace asks for.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { runCli } from '../../src/cli/main.js';
import { demoObjects, kubeconfigYAML, startFakeApiServer, type KubeObj } from '../helpers/fake-apiserver.js';

const DOC = fileURLToPath(new URL('../../docs/live.md', import.meta.url));
// The demo has no kube-proxy ConfigMap (it is OpenShift SDN); add one so its rule is exercised.
const kubeProxy: KubeObj = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'kube-proxy', namespace: 'kube-system' },
  data: { 'config.conf': 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: iptables\n' },
};

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}
/** A rule and where it applies: everywhere (ClusterRole + ClusterRoleBinding) or one namespace. */
interface Grant {
  rule: Rule;
  namespace?: string;
}

function grantsFromDoc(): Grant[] {
  const yaml = /```yaml\n([\s\S]*?)```/.exec(readFileSync(DOC, 'utf8'))![1]!;
  const docs = parseAllDocuments(yaml).map((d) => d.toJS() as { kind: string; metadata: { namespace?: string }; rules?: Rule[] });
  return docs
    .filter((d) => d.kind === 'ClusterRole' || d.kind === 'Role')
    .flatMap((d) => (d.rules ?? []).map((rule) => ({ rule, namespace: d.kind === 'Role' ? d.metadata.namespace : undefined })));
}

/** Kubernetes RBAC for one request, over the grants. */
function allowed(grants: readonly Grant[], verb: string, resource: string, namespace: string | undefined, group: string, name: string | undefined): boolean {
  return grants.some(({ rule, namespace: scope }) =>
    (scope === undefined || scope === namespace) &&
    rule.apiGroups.includes(group) &&
    rule.resources.includes(resource) &&
    rule.verbs.includes(verb) &&
    (!rule.resourceNames || (name !== undefined && rule.resourceNames.includes(name))),
  );
}

// Every command that reads the cluster, with -v so optional reads show when they are denied.
const COMMANDS: string[][] = [
  ['get', 'svc', '-A'],
  ['get', 'svc,ep'],
  ['get', 'endpointslices', '-A'],
  ['get', 'pods', '-o', 'wide'],
  ['get', 'nodes'],
  // Named objects are GETs, as with kubectl.
  ['get', 'svc/django-psql-example', 'ep/django-psql-example', 'pod/django-psql-example-1-grddz', 'node/worker0.ocp4.labs.semperti.local'],
  ['get', 'endpointslices', 'django-psql-example-bk7wq'],
  ['describe', 'svc', 'django-psql-example'],
  ['rules', '-A'],
  ['trace', '--to', 'svc/django-psql-example'],
  ['check', '-A'],
];

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'svctrace-rbac-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs every command against a server granting `grants`; the stderr of all, joined. */
async function runAll(grants: readonly Grant[] | 'all'): Promise<{ stderr: string; exitCodes: number[] }> {
  const server = await startFakeApiServer({
    objects: [...demoObjects(), kubeProxy],
    authenticate: () => ({ name: 'sre@example.com' }),
    authorize: (_who, verb, resource, namespace, group, name) => grants === 'all' || allowed(grants, verb, resource, namespace, group, name),
  });
  try {
    const kc = join(dir, `kubeconfig-${Math.random().toString(36).slice(2)}`);
    writeFileSync(kc, kubeconfigYAML({ server: server.url, namespace: 'test-services' }));
    let stderr = '';
    const exitCodes: number[] = [];
    for (const args of COMMANDS) {
      const r = await runCli(['node', 'svctrace', ...args, '-v'], { env: { KUBECONFIG: kc, HOME: dir, SVCTRACE_NOW: '2020-09-15T12:00:00Z' } });
      stderr += r.stderr;
      exitCodes.push(r.exitCode);
    }
    return { stderr, exitCodes };
  } finally {
    await server.close();
  }
}

describe('the RBAC in docs/live.md', () => {
  const grants = grantsFromDoc();

  it('is found in the doc', () => {
    assert.ok(grants.length >= 3);
    assert.ok(grants.some((g) => g.namespace === 'kube-system'));
  });

  it('suffices: every command behaves as with full access, nothing forbidden', async () => {
    const [limited, full] = [await runAll(grants), await runAll('all')];
    assert.doesNotMatch(limited.stderr, /forbidden/i);
    assert.deepEqual(limited.exitCodes, full.exitCodes);
  });

  it('is the smallest: without any one permission some command is denied something', async () => {
    // Split rules so each resource and verb is taken away on its own.
    const single: Grant[] = grants.flatMap((g) =>
      g.rule.resources.flatMap((resource) => g.rule.verbs.map((verb) => ({ ...g, rule: { ...g.rule, resources: [resource], verbs: [verb] } }))),
    );
    assert.equal(single.length, 12);
    for (let i = 0; i < single.length; i++) {
      const without = single.filter((_, j) => j !== i);
      const { stderr } = await runAll(without);
      const g = single[i]!;
      const what = `${g.rule.verbs[0]} ${g.rule.resources[0]}`;
      assert.match(stderr, new RegExp(`${g.rule.resources[0]}(\\.\\S+)?( "[^"]+")? is forbidden: User "[^"]+" cannot ${g.rule.verbs[0]} `), `${what} is needed`);
    }
  });
});
