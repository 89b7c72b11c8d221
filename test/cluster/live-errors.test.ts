// Every way a live command can fail, through the CLI: one stderr line, the exit code of
// DESIGN.md (3: cluster unreachable or access denied; 2: not found), nothing on stdout, and
// never a credential in any output.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli, type CliOutcome } from '../../src/cli/main.js';
import { bearerTokens, demoObjects, kubeconfigYAML, selfSignedCert, startFakeApiServer, type KubeObj } from '../helpers/fake-apiserver.js';
import { needs } from '../helpers/prereq.js';


// Credentials that must never appear in any output.
const TOKEN = 'tok-SECRET-4f9a1c7e2b';
const PASSWORD = 'pw-SECRET-93c1';
let clientCert: { key: string; cert: string } | undefined;
const SECRETS = () => [TOKEN, PASSWORD, ...(clientCert ? pemLines(clientCert.key) : []), ...(clientCert ? pemLines(clientCert.cert) : [])];
const pemLines = (pem: string) => pem.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'));

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'svctrace-live-errors-'));
  clientCert = selfSignedCert();
});
after(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** A kubeconfig whose user carries every kind of secret svctrace must not print. */
function kubeconfig(server: string, cluster: Record<string, unknown> = {}): string {
  const path = join(dir, `kubeconfig-${++n}.yaml`);
  const user: Record<string, unknown> = { token: TOKEN, username: 'admin', password: PASSWORD };
  if (clientCert) {
    user['client-certificate-data'] = Buffer.from(clientCert.cert).toString('base64');
    user['client-key-data'] = Buffer.from(clientCert.key).toString('base64');
  }
  writeFileSync(path, kubeconfigYAML({ server, namespace: 'test-services', user, cluster }));
  return path;
}

async function svctrace(kc: string, ...args: string[]): Promise<CliOutcome> {
  return runCli(['node', 'svctrace', ...args], { env: { KUBECONFIG: kc, HOME: dir } });
}

/** One line on stderr, nothing on stdout, the exit code, and no secret anywhere. */
function assertFailure(r: CliOutcome, exitCode: number, line: RegExp): void {
  assert.equal(r.stdout, '');
  assert.equal(r.exitCode, exitCode, r.stderr);
  assert.match(r.stderr, /^[^\n]+\n$/, 'exactly one line');
  assert.match(r.stderr, line);
  assertNoSecrets(r);
}

function assertNoSecrets(r: CliOutcome): void {
  for (const s of SECRETS()) {
    assert.ok(!r.stdout.includes(s) && !r.stderr.includes(s), `a secret was printed: ${s.slice(0, 8)}...`);
  }
  const basic = Buffer.from(`admin:${PASSWORD}`).toString('base64');
  assert.ok(!r.stderr.includes(basic) && !r.stdout.includes(basic));
}

/** A port nothing listens on: a server's, after it closed. */
async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('live failures', () => {
  it('unreachable: names the address, exit 3', async () => {
    const port = await closedPort();
    const r = await svctrace(kubeconfig(`https://127.0.0.1:${port}`), 'get', 'svc');
    assertFailure(r, 3, new RegExp(`^error: The connection to the server 127\\.0\\.0\\.1:${port} was refused - did you specify the right host or port\\?\\n$`));
  });

  it('no such host: names the host, exit 3', async () => {
    const r = await svctrace(kubeconfig('https://api.cluster.invalid:6443'), 'get', 'svc');
    assertFailure(r, 3, /^error: Unable to connect to the server api\.cluster\.invalid:6443: no such host/);
  });

  it('TLS failure (a certificate no CA vouches for): names the address and TLS, exit 3', async (t) => {
    if (!needs(t, 'openssl')) return;
    const cert = selfSignedCert()!;
    const server = await startFakeApiServer({ objects: demoObjects(), tls: cert });
    try {
      const r = await svctrace(kubeconfig(server.url), 'get', 'svc');
      assertFailure(r, 3, new RegExp(`^error: Unable to connect to the server ${server.address.replace(/\./g, '\\.')}: TLS failure: self[- ]signed certificate`));
      assert.equal(server.requests.length, 0, 'nothing was sent over an unverified connection');
    } finally {
      await server.close();
    }
  });

  it('TLS name mismatch, and http to a TLS server: one line each, exit 3', async (t) => {
    if (!needs(t, 'openssl')) return;
    const cert = selfSignedCert()!;
    const server = await startFakeApiServer({ objects: demoObjects(), tls: cert });
    try {
      const ca = Buffer.from(cert.cert).toString('base64');
      const wrongName = await svctrace(kubeconfig(server.url, { 'certificate-authority-data': ca, 'tls-server-name': 'api.other.example' }), 'get', 'svc');
      assertFailure(wrongName, 3, /TLS failure: .*api\.other\.example.*tls-server-name/);
      const plain = await svctrace(kubeconfig(server.url.replace('https:', 'http:')), 'get', 'svc');
      assertFailure(plain, 3, new RegExp(`^error: Unable to connect to the server ${server.address.replace(/\./g, '\\.')}: the connection was closed .*https`));
    } finally {
      await server.close();
    }
  });

  it("401: kubectl's words, exit 3", async () => {
    const server = await startFakeApiServer({ objects: demoObjects(), authenticate: bearerTokens({ 'another-token': 'x' }) });
    try {
      const r = await svctrace(kubeconfig(server.url), 'get', 'svc');
      assertFailure(r, 3, /^error: You must be logged in to the server \(the server has asked for the client to provide credentials\)\n$/);
    } finally {
      await server.close();
    }
  });

  it('403: names the user, verb, resource and namespace denied, exit 3', async () => {
    const server = await startFakeApiServer({
      objects: demoObjects(),
      authenticate: () => ({ name: 'developer' }),
      authorize: (_who, verb, resource, namespace) => !(verb === 'list' && resource === 'services' && namespace === 'test-services'),
    });
    try {
      const r = await svctrace(kubeconfig(server.url), 'get', 'svc');
      assertFailure(r, 3, /^error: services is forbidden: User "developer" cannot list resource "services" in API group "" in the namespace "test-services"\n$/);
    } finally {
      await server.close();
    }
  });

  it('403 from something that is not the API server: names what was denied itself', async () => {
    const server = await startFakeApiServer({ objects: demoObjects(), fail: (p) => (p.endsWith('/pods') ? { code: 403, reason: 'Forbidden', message: 'Forbidden' } : undefined) });
    try {
      const r = await svctrace(kubeconfig(server.url), 'get', 'pods', '-A');
      assertFailure(r, 3, /^error: forbidden: cannot list pods at the cluster scope: Forbidden\n$/);
    } finally {
      await server.close();
    }
  });

  it("a missing object: kubectl's NotFound line, exit 2", async () => {
    const server = await startFakeApiServer({ objects: demoObjects() });
    try {
      const r = await svctrace(kubeconfig(server.url), 'get', 'svc', 'no-such-service');
      assertFailure(r, 2, /^Error from server \(NotFound\): services "no-such-service" not found\n$/);
    } finally {
      await server.close();
    }
  });

  it('a resource the server does not serve (404 on a list), exit 3', async () => {
    const server = await startFakeApiServer({
      objects: demoObjects(),
      fail: (p) => (p.includes('endpointslices') ? { code: 404, reason: 'NotFound', message: 'the server could not find the requested resource' } : undefined),
    });
    try {
      const r = await svctrace(kubeconfig(server.url), 'get', 'endpointslices');
      assertFailure(r, 3, /^error: the server doesn't have a resource type "endpointslices\.discovery\.k8s\.io"/);
    } finally {
      await server.close();
    }
  });

  it("500: the server's Status message and reason, exit 3", async () => {
    const server = await startFakeApiServer({
      objects: demoObjects(),
      fail: () => ({ code: 500, reason: 'InternalError', message: 'Internal error occurred: etcdserver: request timed out' }),
    });
    try {
      const r = await svctrace(kubeconfig(server.url), 'get', 'svc');
      assertFailure(r, 3, /^error: the server could not list services in the namespace "test-services" \(InternalError, 500\): Internal error occurred: etcdserver: request timed out\n$/);
    } finally {
      await server.close();
    }
  });

  it('timeout (--request-timeout): names the address and the limit, exit 3', async () => {
    const server = await startFakeApiServer({ objects: demoObjects(), delay: () => Infinity });
    try {
      const r = await svctrace(kubeconfig(server.url), 'get', 'svc', '--request-timeout', '200ms');
      assertFailure(r, 3, new RegExp(`^error: the server ${server.address.replace(/\./g, '\\.')} did not answer \\(list services in the namespace "test-services"\\) within 200ms`));
      assert.equal(server.requests[0]?.query.get('timeout'), '200ms');
    } finally {
      await server.close();
    }
  });

  it('no kubeconfig at all: points at --kubeconfig, -f and --demo, exit 3', async () => {
    const r = await runCli(['node', 'svctrace', 'get', 'svc'], { env: { HOME: join(dir, 'nohome') } });
    assertFailure(r, 3, /^error: no cluster configured: .*--kubeconfig.*-f FILE.*--demo/);
  });

  it('an exec credential plugin that fails or is missing: names the plugin and user, exit 3', async () => {
    const server = await startFakeApiServer({ objects: demoObjects() });
    try {
      const plugin = join(dir, 'failing-plugin.sh');
      writeFileSync(plugin, `#!/bin/sh\necho "token expired for ${TOKEN}; run login" >&2\nexit 1\n`, { mode: 0o755 });
      for (const [command, why] of [[plugin, /token expired for \[redacted\]; run login/], [join(dir, 'no-such-plugin'), /not found/]] as const) {
        const kc = join(dir, `kubeconfig-exec-${++n}.yaml`);
        writeFileSync(kc, kubeconfigYAML({ server: server.url, user: { token: TOKEN, exec: { apiVersion: 'client.authentication.k8s.io/v1', command } } }));
        const r = await svctrace(kc, 'get', 'svc');
        assertFailure(r, 3, new RegExp(`^error: exec credential plugin "${command.replace(/[.]/g, '\\.')}" of user "test-user": `));
        assert.match(r.stderr, why);
      }
      assert.equal(server.requests.length, 0, 'nothing was sent without credentials');
    } finally {
      await server.close();
    }
  });

  it('an unknown --context is a usage error (exit 2)', async () => {
    const r = await svctrace(kubeconfig('http://127.0.0.1:1'), 'get', 'svc', '--context', 'nope');
    assertFailure(r, 2, /^error: context was not found for specified context: nope\n$/);
  });

  it('never prints a secret, even when a server echoes one back or -v asks for detail', async () => {
    // A misbehaving proxy that quotes the credentials in its error page.
    const server = await startFakeApiServer({
      objects: demoObjects(),
      fail: (p) => (p.endsWith('/services') ? { code: 500, reason: 'InternalError', message: `bad token ${TOKEN} for admin:${PASSWORD}` } : undefined),
    });
    try {
      const r = await svctrace(kubeconfig(server.url), 'get', 'svc', '-v', '-v');
      assert.equal(r.exitCode, 3);
      assert.match(r.stderr, /bad token \[redacted\] for (admin:)?\[redacted\]\n$/);
      assertNoSecrets(r);
      const ok = await svctrace(kubeconfig(server.url), 'get', 'pods', '-v', '-v', '-o', 'yaml');
      assert.equal(ok.exitCode, 0, ok.stderr);
      assert.match(ok.stderr, /GET \/api\/v1\/namespaces\/test-services\/pods/);
      assertNoSecrets(ok);
    } finally {
      await server.close();
    }
  });
});

describe('paging failures', () => {
  it('an expired continue token (410) says to run the command again, exit 3', async () => {
    const pods: KubeObj[] = Array.from({ length: 600 }, (_, i) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, namespace: 'test-services' }, spec: {} }));
    // The first page is served; the second is answered as an API server does once its
    // continue token has outlived etcd's compaction.
    let pages = 0;
    const server = await startFakeApiServer({
      objects: pods,
      fail: (p) =>
        p.endsWith('/pods') && ++pages > 1
          ? { code: 410, reason: 'Expired', message: 'The provided continue parameter is too old to display a consistent list result.' }
          : undefined,
    });
    try {
      const r = await svctrace(kubeconfig(server.url), 'get', 'pods');
      assertFailure(r, 3, /^error: the server could not list pods in the namespace "test-services" \(Expired, 410\): The provided continue parameter is too old.*run the command again\n$/);
      assert.ok(server.requests[1]!.query.has('continue'));
    } finally {
      await server.close();
    }
  });
});
