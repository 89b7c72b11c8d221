import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  hasClusterConfig,
  kubeconfigPaths,
  loadKubeconfig,
  resolveTarget,
  type Kubeconfig,
} from '../../src/cluster/kubeconfig.js';
import { ClusterError, InputError, UsageError } from '../../src/errors.js';
import { needs } from '../helpers/prereq.js';

let dir: string;
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

// Two kubeconfigs that define the same names differently, plus one that only sets
// current-context: the three cases of clientcmd's merge.
const FIRST = `apiVersion: v1
kind: Config
clusters:
- name: shared
  cluster:
    server: https://first.example:6443
    certificate-authority: certs/ca.crt
users:
- name: shared-user
  user:
    token: first-token
    client-certificate: certs/client.crt
    client-key: /abs/client.key
contexts:
- name: shared
  context: {cluster: shared, user: shared-user}
`;
const SECOND = `apiVersion: v1
kind: Config
clusters:
- name: shared
  cluster: {server: "https://second.example:6443", insecure-skip-tls-verify: true}
- name: only2
  cluster: {server: "https://only2.example:6443"}
users:
- name: shared-user
  user: {token: second-token, username: extra}
contexts:
- name: shared
  context: {cluster: only2, user: shared-user, namespace: from-second}
- name: two
  context: {cluster: only2, namespace: ns2}
current-context: two
`;
const THIRD = `current-context: shared\n`;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'svctrace-kubeconfig-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('kubeconfig files', () => {
  it('uses --kubeconfig alone, else the $KUBECONFIG list, else ~/.kube/config', () => {
    assert.deepEqual(kubeconfigPaths({ kubeconfig: '/k', env: { KUBECONFIG: '/a:/b', HOME: '/h' } }), { explicit: true, files: ['/k'] });
    assert.deepEqual(kubeconfigPaths({ env: { KUBECONFIG: '/a::/b', HOME: '/h' } }), { explicit: false, files: ['/a', '/b'] });
    assert.deepEqual(kubeconfigPaths({ env: { HOME: '/h' } }), { explicit: false, files: ['/h/.kube/config'] });
    assert.deepEqual(kubeconfigPaths({ env: {} }), { explicit: false, files: [] });
  });

  it('merges $KUBECONFIG first-wins per name, skips missing files, takes the first current-context', () => {
    const a = file('first.yaml', FIRST);
    const b = file('second.yaml', SECOND);
    const c = file('third.yaml', THIRD);
    const { config, files } = loadKubeconfig({ env: { KUBECONFIG: [a, join(dir, 'missing.yaml'), b, c].join(':') } });
    assert.deepEqual(files, [a, b, c]);
    // The first file's "shared" entries are kept whole: the second's extra fields are dropped.
    assert.deepEqual(config.clusters.map((x) => [x.name, x.cluster.server]), [
      ['shared', 'https://first.example:6443'],
      ['only2', 'https://only2.example:6443'],
    ]);
    assert.equal(config.clusters[0]!.cluster['insecure-skip-tls-verify'], undefined);
    assert.deepEqual(config.users.map((u) => u.user.token), ['first-token']);
    assert.equal(config.users[0]!.user.username, undefined);
    assert.deepEqual(config.contexts.map((x) => [x.name, x.context.cluster]), [['shared', 'shared'], ['two', 'only2']]);
    assert.equal(config['current-context'], 'two');
  });

  it('resolves file references against the file that holds them', () => {
    const a = file('first.yaml', FIRST);
    const { config } = loadKubeconfig({ kubeconfig: a, env: {} });
    assert.equal(config.clusters[0]!.cluster['certificate-authority'], join(dir, 'certs/ca.crt'));
    assert.equal(config.users[0]!.user['client-certificate'], join(dir, 'certs/client.crt'));
    assert.equal(config.users[0]!.user['client-key'], '/abs/client.key');
  });

  it('resolves an exec command only when it is a path', () => {
    const k = file('exec.yaml', `users:
- name: a
  user: {exec: {command: ./bin/login, apiVersion: client.authentication.k8s.io/v1}}
- name: b
  user: {exec: {command: gke-gcloud-auth-plugin}}
`);
    const { config } = loadKubeconfig({ kubeconfig: k, env: {} });
    assert.equal((config.users[0]!.user.exec as { command: string }).command, join(dir, 'bin/login'));
    assert.equal((config.users[1]!.user.exec as { command: string }).command, 'gke-gcloud-auth-plugin');
  });

  it('fails on a missing --kubeconfig and on a file that is not YAML, naming the file', () => {
    assert.throws(() => loadKubeconfig({ kubeconfig: join(dir, 'nope.yaml'), env: {} }), (e: Error) => e instanceof InputError && e.message.includes('nope.yaml'));
    const bad = file('bad.yaml', 'clusters: [\n');
    assert.throws(() => loadKubeconfig({ env: { KUBECONFIG: bad } }), (e: Error) => e instanceof InputError && e.message.startsWith(`error loading config file "${bad}"`));
  });

  it('reads an empty file as an empty kubeconfig', () => {
    const empty = file('empty.yaml', '');
    assert.deepEqual(loadKubeconfig({ kubeconfig: empty, env: {} }).config.contexts, []);
  });
});

describe('choosing the cluster', () => {
  it("uses current-context, its cluster and user, and the context's namespace", () => {
    const k = `${file('first.yaml', FIRST)}:${file('second.yaml', SECOND)}`;
    const t = resolveTarget({ env: { KUBECONFIG: k } });
    assert.equal(t.contextName, 'two');
    assert.equal(t.server, 'https://only2.example:6443');
    assert.equal(t.namespace, 'ns2');
    // client-node gets only what the context uses, so a broken unrelated entry cannot fail it.
    assert.deepEqual(t.config.clusters.map((c) => c.name), ['only2']);
    assert.deepEqual(t.config.contexts.map((c) => c.name), ['two']);
  });

  it('lets --context choose another context; without a namespace it is "default"', () => {
    const k = `${file('first.yaml', FIRST)}:${file('second.yaml', SECOND)}`;
    const t = resolveTarget({ context: 'shared', env: { KUBECONFIG: k } });
    assert.equal(t.server, 'https://first.example:6443');
    assert.equal(t.namespace, 'default');
    assert.deepEqual(t.secrets.includes('first-token'), true);
  });

  it('rejects an unknown --context with clientcmd\'s words (a usage error)', () => {
    const k = file('first.yaml', FIRST);
    assert.throws(() => resolveTarget({ kubeconfig: k, context: 'nope', env: {} }), (e: Error) => e instanceof UsageError && e.message === 'context was not found for specified context: nope');
  });

  it('explains a kubeconfig without current-context, listing the contexts', () => {
    const k = file('first.yaml', FIRST);
    assert.throws(() => resolveTarget({ kubeconfig: k, env: {} }), (e: Error) => e instanceof ClusterError && /sets no current-context: pass --context \(one of: shared\)/.test(e.message));
  });

  it('names the missing cluster of a context', () => {
    const k = file('dangling.yaml', 'contexts:\n- name: c\n  context: {cluster: gone}\ncurrent-context: c\n');
    assert.throws(() => resolveTarget({ kubeconfig: k, env: {} }), (e: Error) => e instanceof ClusterError && e.message.includes('cluster "gone" is not in kubeconfig'));
  });

  it('with no kubeconfig and no service account, tells the user to pass --kubeconfig, -f or --demo', () => {
    const home = join(dir, 'emptyhome');
    mkdirSync(home, { recursive: true });
    for (const env of [{ HOME: home }, { KUBECONFIG: join(dir, 'none.yaml') }, {}]) {
      assert.throws(
        () => resolveTarget({ env, serviceAccountDir: join(dir, 'no-sa') }),
        (e: Error) => e instanceof ClusterError && /--kubeconfig/.test(e.message) && /-f FILE/.test(e.message) && /--demo/.test(e.message) && !e.message.includes('\n'),
      );
      assert.equal(hasClusterConfig({ env, serviceAccountDir: join(dir, 'no-sa') }), false);
    }
  });

  it('falls back to the service account in a pod: https, its CA, token and namespace file', () => {
    const sa = join(dir, 'sa');
    mkdirSync(sa, { recursive: true });
    writeFileSync(join(sa, 'token'), 'sa-token-value\n');
    writeFileSync(join(sa, 'ca.crt'), 'x');
    writeFileSync(join(sa, 'namespace'), 'team-a\n');
    const env = { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443', HOME: join(dir, 'emptyhome') };
    const t = resolveTarget({ env, serviceAccountDir: sa });
    assert.equal(t.server, 'https://10.96.0.1:443');
    assert.equal(t.namespace, 'team-a');
    assert.equal(t.config.users[0]!.user['token-file'], join(sa, 'token'));
    assert.equal(t.config.clusters[0]!.cluster['certificate-authority'], join(sa, 'ca.crt'));
    assert.ok(t.secrets.includes('sa-token-value'));
    assert.equal(hasClusterConfig({ env, serviceAccountDir: sa }), true);
    // POD_NAMESPACE wins over the file; IPv6 hosts are bracketed.
    const t6 = resolveTarget({ env: { ...env, KUBERNETES_SERVICE_HOST: 'fd00::1', POD_NAMESPACE: 'from-env' }, serviceAccountDir: sa });
    assert.equal(t6.server, 'https://[fd00::1]:443');
    assert.equal(t6.namespace, 'from-env');
    // A kubeconfig with a current context wins over the service account.
    const k = file('second.yaml', SECOND);
    assert.equal(resolveTarget({ env: { ...env, KUBECONFIG: k }, serviceAccountDir: sa }).contextName, 'two');
  });

  it('counts --kubeconfig and a usable kubeconfig as configured', () => {
    assert.equal(hasClusterConfig({ kubeconfig: join(dir, 'whatever.yaml'), env: {} }), true);
    assert.equal(hasClusterConfig({ env: { KUBECONFIG: file('second.yaml', SECOND) } }), true);
  });
});

describe('the merge agrees with kubectl', () => {
  it('kubectl config view --raw shows the same clusters, users, contexts and current-context', async (t) => {
    if (!needs(t, 'kubectl')) return;
    // Absolute paths only: `kubectl config view` prints file references unresolved.
    const first = file('kfirst.yaml', FIRST.replace('certs/ca.crt', '/etc/ca.crt').replace('certs/client.crt', '/etc/client.crt'));
    const list = [first, join(dir, 'missing.yaml'), file('second.yaml', SECOND), file('third.yaml', THIRD)].join(':');
    const view = await new Promise<string>((resolve, reject) =>
      execFile('kubectl', ['config', 'view', '--raw', '-o', 'json'], { env: { PATH: process.env.PATH, KUBECONFIG: list, HOME: dir } }, (err, out) =>
        err ? reject(err) : resolve(out),
      ),
    );
    const kubectl = JSON.parse(view) as Kubeconfig;
    const ours = loadKubeconfig({ env: { KUBECONFIG: list } }).config;
    // kubectl sorts by name and prints an empty user as ""; compare as name → entry maps.
    const byName = <T extends { name: string }>(xs: T[], key: keyof T) =>
      Object.fromEntries(xs.map((x) => [x.name, Object.fromEntries(Object.entries(x[key] as object).filter(([, v]) => v !== ''))]));
    assert.deepEqual(byName(ours.clusters, 'cluster'), byName(kubectl.clusters, 'cluster'));
    assert.deepEqual(byName(ours.users, 'user'), byName(kubectl.users, 'user'));
    assert.deepEqual(byName(ours.contexts, 'context'), byName(kubectl.contexts, 'context'));
    assert.equal(ours['current-context'], kubectl['current-context']);
  });
});
