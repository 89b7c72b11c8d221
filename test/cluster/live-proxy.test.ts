// Live commands through an HTTP proxy, as kubectl goes through one: the cluster's proxy-url,
// else HTTPS_PROXY/HTTP_PROXY/NO_PROXY. A forward proxy on loopback (test/helpers/http-proxy.ts)
// maps the made-up host names kube-api.test / kube-tls.test to the fake API servers, so a
// request that reaches them went through the proxy (nothing resolves those names, and no
// lookup is made). The real kubectl runs against the same setup and must agree on the wire
// form: absolute-form GETs for an http server, CONNECT tunnels for an https one.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../../src/cli/main.js';
import { demoObjects, kubeconfigYAML, selfSignedCert, startFakeApiServer, type FakeApiServer } from '../helpers/fake-apiserver.js';
import { startTestProxy, type TestProxy } from '../helpers/http-proxy.js';
import { needs } from '../helpers/prereq.js';

let dir: string;
let api: FakeApiServer;
let tlsApi: FakeApiServer | undefined;
let proxy: TestProxy;
let authProxy: TestProxy;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'svctrace-proxy-'));
  api = await startFakeApiServer({ objects: demoObjects() });
  const cert = selfSignedCert(); // without openssl, the https cases fail or skip through needs()
  if (cert) tlsApi = await startFakeApiServer({ objects: demoObjects(), tls: cert });
  const hosts = { 'kube-api.test': api.address, ...(tlsApi ? { 'kube-tls.test': tlsApi.address } : {}) };
  proxy = await startTestProxy({ hosts });
  authProxy = await startTestProxy({ hosts, credentials: 'squid:pr0xy-s3cret' });
});
after(async () => {
  await Promise.all([api.close(), tlsApi?.close(), proxy.close(), authProxy.close()]);
  rmSync(dir, { recursive: true, force: true });
});

let seq = 0;
/** A kubeconfig file for `server`, the test namespace and a token; `cluster` adds fields (proxy-url...). */
function kubeconfig(server: string, cluster: Record<string, unknown> = {}): string {
  const file = join(dir, `kubeconfig-${++seq}`);
  writeFileSync(file, kubeconfigYAML({ server, namespace: 'test-services', user: { token: 'proxy-test-token' }, cluster }));
  return file;
}

const svctrace = (kc: string, env: Record<string, string> = {}, ...args: string[]) =>
  runCli(['node', 'svctrace', '--kubeconfig', kc, ...(args.length ? args : ['get', 'svc', '-o', 'name'])], { env: { HOME: dir, ...env } });

function kubectl(kc: string, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const fullEnv = { PATH: process.env.PATH ?? '/usr/bin', HOME: dir, ...env };
  return new Promise((resolve) =>
    execFile('kubectl', ['--kubeconfig', kc, 'get', 'svc', '-o', 'name'], { env: fullEnv }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

const EXPECTED = 'service/django-psql-example\nservice/minio\nservice/postgresql\n';
const forms = (p: TestProxy) => [...new Set(p.requests.map((r) => (r.method === 'CONNECT' ? `CONNECT ${r.target}` : `${r.method} ${new URL(r.target).host}`)))];

describe('live requests through a proxy', () => {
  it("an http server behind the cluster's proxy-url: absolute-form GETs, as kubectl sends them", async (t) => {
    const kc = kubeconfig('http://kube-api.test:6443', { 'proxy-url': proxy.url });
    proxy.requests.length = 0;
    const r = await svctrace(kc);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, EXPECTED);
    assert.deepEqual(forms(proxy), ['GET kube-api.test:6443']);
    assert.ok(proxy.requests.some((q) => q.target.startsWith('http://kube-api.test:6443/api/v1/namespaces/test-services/services?limit=500')));
    if (!needs(t, 'kubectl')) return;
    proxy.requests.length = 0;
    const k = await kubectl(kc);
    assert.equal(k.stdout, EXPECTED, k.stderr);
    assert.deepEqual(forms(proxy), ['GET kube-api.test:6443']);
  });

  it('an http server and HTTP_PROXY (or http_proxy) in the environment', async (t) => {
    const kc = kubeconfig('http://kube-api.test:6443');
    for (const name of ['HTTP_PROXY', 'http_proxy']) {
      proxy.requests.length = 0;
      const r = await svctrace(kc, { [name]: proxy.url });
      assert.equal(r.stdout, EXPECTED, `${name}: ${r.stderr}`);
      assert.ok(proxy.requests.length > 0, name);
    }
    if (!needs(t, 'kubectl')) return;
    const k = await kubectl(kc, { HTTP_PROXY: proxy.url });
    assert.equal(k.stdout, EXPECTED, k.stderr);
  });

  it('an https server and HTTPS_PROXY: a CONNECT tunnel to the server, TLS inside it', async (t) => {
    if (!needs(t, 'openssl')) return;
    assert.ok(tlsApi, 'openssl made the https server a certificate');
    const kc = kubeconfig('https://kube-tls.test:6443', { 'insecure-skip-tls-verify': true });
    proxy.requests.length = 0;
    const r = await svctrace(kc, { HTTPS_PROXY: proxy.url, HTTP_PROXY: 'http://127.0.0.1:9' });
    assert.equal(r.stdout, EXPECTED, r.stderr);
    assert.deepEqual(forms(proxy), ['CONNECT kube-tls.test:6443']);
    assert.ok(tlsApi.requests.some((q) => q.path === '/api/v1/namespaces/test-services/services'), 'the request arrived through the tunnel');
    if (!needs(t, 'kubectl')) return;
    proxy.requests.length = 0;
    const k = await kubectl(kc, { HTTPS_PROXY: proxy.url });
    assert.equal(k.stdout, EXPECTED, k.stderr);
    assert.deepEqual(forms(proxy), ['CONNECT kube-tls.test:6443']);
  });

  it('proxy credentials in the URL become Proxy-Authorization, and stay out of errors', async (t) => {
    const withAuth = `http://squid:pr0xy-s3cret@127.0.0.1:${authProxy.port}`;
    authProxy.requests.length = 0;
    const ok = await svctrace(kubeconfig('http://kube-api.test:6443', { 'proxy-url': withAuth }));
    assert.equal(ok.stdout, EXPECTED, ok.stderr);
    assert.ok(authProxy.requests.every((q) => q.credentials === 'squid:pr0xy-s3cret'));
    if (needs(t, 'openssl')) {
      assert.ok(tlsApi, 'openssl made the https server a certificate');
      const tunnel = await svctrace(kubeconfig('https://kube-tls.test:6443', { 'proxy-url': withAuth, 'insecure-skip-tls-verify': true }));
      assert.equal(tunnel.stdout, EXPECTED, tunnel.stderr);
      assert.ok(authProxy.requests.some((q) => q.method === 'CONNECT' && q.credentials === 'squid:pr0xy-s3cret'));
    }
    // A dead proxy: the message names it without its credentials.
    const dead = await svctrace(kubeconfig('http://kube-api.test:6443', { 'proxy-url': 'http://squid:pr0xy-s3cret@127.0.0.1:9' }), {}, 'get', 'svc');
    assert.equal(dead.exitCode, 3);
    assert.equal(
      dead.stderr,
      'error: Unable to connect to the server kube-api.test:6443: proxyconnect http://127.0.0.1:9: the proxy refused the connection (is the proxy-url or HTTPS_PROXY/HTTP_PROXY right?)\n',
    );
    // -v names the proxy, without its credentials.
    const verbose = await svctrace(kubeconfig('http://kube-api.test:6443', { 'proxy-url': withAuth }), {}, '-v', 'get', 'svc', '-o', 'name');
    assert.match(verbose.stderr, new RegExp(`^note: using context "test" \\(kubeconfig \\S+\\), server http://kube-api\\.test:6443 through the proxy http://127\\.0\\.0\\.1:${authProxy.port}\\n$`));
  });

  it('a proxy that refuses the tunnel (407) is named with its answer', async (t) => {
    if (!needs(t, 'openssl')) return;
    assert.ok(tlsApi, 'openssl made the https server a certificate');
    const r = await svctrace(kubeconfig('https://kube-tls.test:6443', { 'proxy-url': authProxy.url, 'insecure-skip-tls-verify': true }));
    assert.equal(r.exitCode, 3);
    assert.equal(r.stderr, `error: Unable to connect to the server kube-tls.test:6443: proxyconnect http://127.0.0.1:${authProxy.port}: the proxy answered CONNECT with 407 Proxy Authentication Required\n`);
  });

  it('a loopback server is reached directly whatever HTTP_PROXY says, as Go reaches it', async (t) => {
    // (NO_PROXY is checked in proxy-env.test.ts: a live check would look the exempt name up in DNS.)
    const dead = 'http://127.0.0.1:9';
    const direct = kubeconfig(api.url);
    const r = await svctrace(direct, { HTTP_PROXY: dead, http_proxy: dead });
    assert.equal(r.stdout, EXPECTED, r.stderr);
    if (!needs(t, 'kubectl')) return;
    const k = await kubectl(direct, { HTTP_PROXY: dead });
    assert.equal(k.stdout, EXPECTED, k.stderr);
  });

  it("rejects a proxy-url scheme kubectl rejects, with kubectl's words", async (t) => {
    const kc = kubeconfig(api.url, { 'proxy-url': 'ftp://127.0.0.1:3128' });
    const r = await svctrace(kc);
    assert.equal(r.exitCode, 3);
    assert.equal(r.stderr, `error: invalid 'proxy-url' "ftp://127.0.0.1:3128" for cluster "test-cluster": unsupported scheme "ftp", must be http, https, or socks5\n`);
    if (!needs(t, 'kubectl')) return;
    const k = await kubectl(kc);
    assert.equal(k.stderr, `error: invalid 'proxy-url' "ftp://127.0.0.1:3128" for cluster "test-cluster": unsupported scheme "ftp", must be http, https, or socks5\n`);
  });
});
