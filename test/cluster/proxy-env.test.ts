// The proxy a live command uses. The environment cases are Go's own: TestProxyForURL,
// TestUseProxy, TestInvalidNoProxy and TestAllNoProxy of golang.org/x/net/http/httpproxy
// (proxy_test.go), which net/http's ProxyFromEnvironment (and so kubectl) runs on.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClusterError } from '../../src/errors.js';
import { parseProxyUrl, proxyFromEnvironment } from '../../src/cluster/proxy-env.js';

const shown = (u: URL | undefined) => (u ? `${u.protocol}//${u.host}` : '<nil>');

describe('proxyFromEnvironment: Go httpproxy TestProxyForURL', () => {
  // [HTTP_PROXY, HTTPS_PROXY, NO_PROXY, CGI, request, want]
  const cases: [string, string, string, boolean, string, string][] = [
    ['127.0.0.1:8080', '', '', false, '', 'http://127.0.0.1:8080'],
    ['cache.corp.example.com:1234', '', '', false, '', 'http://cache.corp.example.com:1234'],
    ['cache.corp.example.com', '', '', false, '', 'http://cache.corp.example.com'],
    ['https://cache.corp.example.com', '', '', false, '', 'https://cache.corp.example.com'],
    ['http://127.0.0.1:8080', '', '', false, '', 'http://127.0.0.1:8080'],
    ['https://127.0.0.1:8080', '', '', false, '', 'https://127.0.0.1:8080'],
    ['socks5://127.0.0.1', '', '', false, '', 'socks5://127.0.0.1'],
    ['http.proxy.tld', 'secure.proxy.tld', '', false, 'http://insecure.tld/', 'http://http.proxy.tld'],
    ['http.proxy.tld', 'secure.proxy.tld', '', false, 'https://secure.tld/', 'http://secure.proxy.tld'],
    ['http.proxy.tld', 'https://secure.proxy.tld', '', false, 'https://secure.tld/', 'https://secure.proxy.tld'],
    // Go refuses HTTP_PROXY in a CGI environment (an error there; no proxy here either way).
    ['http://10.1.2.3:8080', '', '', true, '', '<nil>'],
    ['', 'https://secure.proxy.tld', '', true, 'https://secure.tld/', 'https://secure.proxy.tld'],
    ['', '', '', false, '', '<nil>'],
    ['proxy', '', 'example.com', false, 'http://example.com/', '<nil>'],
    ['proxy', '', '.example.com', false, 'http://example.com/', 'http://proxy'],
    ['proxy', '', 'ample.com', false, 'http://example.com/', 'http://proxy'],
    ['proxy', '', 'example.com', false, 'http://foo.example.com/', '<nil>'],
    ['proxy', '', '.foo.com', false, 'http://example.com/', 'http://proxy'],
  ];
  for (const [httpProxy, httpsProxy, noProxy, cgi, req, want] of cases) {
    it(`http_proxy=${JSON.stringify(httpProxy)} https_proxy=${JSON.stringify(httpsProxy)} no_proxy=${JSON.stringify(noProxy)}${cgi ? ' CGI' : ''} req=${req || 'http://example.com'}`, () => {
      const env = { HTTP_PROXY: httpProxy, HTTPS_PROXY: httpsProxy, NO_PROXY: noProxy, ...(cgi ? { REQUEST_METHOD: 'GET' } : {}) };
      assert.equal(shown(proxyFromEnvironment(new URL(req || 'http://example.com'), env)), want);
    });
  }

  it('reads the lower-case variables when the upper-case ones are unset or empty', () => {
    const env = { http_proxy: 'lower:3128', https_proxy: 'https://lower-secure', no_proxy: 'skip.me' };
    assert.equal(shown(proxyFromEnvironment(new URL('http://api.example.com'), env)), 'http://lower:3128');
    assert.equal(shown(proxyFromEnvironment(new URL('https://api.example.com'), env)), 'https://lower-secure');
    assert.equal(shown(proxyFromEnvironment(new URL('https://skip.me'), env)), '<nil>');
    assert.equal(shown(proxyFromEnvironment(new URL('http://api.example.com'), { ...env, HTTP_PROXY: 'upper:1' })), 'http://upper:1');
  });
});

describe('proxyFromEnvironment: Go httpproxy TestUseProxy', () => {
  const noProxy =
    'foobar.com, .barbaz.net, *.wildcard.io, 192.168.1.1, 192.168.1.2:81, 192.168.1.3:80, 10.0.0.0/30, 2001:db8::52:0:1, [2001:db8::52:0:2]:443, [2001:db8::52:0:3]:80, 2002:db8:a::45/64';
  const cases: [string, boolean][] = [
    ['localhost', false],
    ['127.0.0.1', false],
    ['127.0.0.2', false],
    ['[::1]', false],
    ['[::2]', true],
    ['192.168.1.1', false],
    ['192.168.1.2', true],
    ['192.168.1.3', false],
    ['192.168.1.4', true],
    ['10.0.0.2', false],
    ['[2001:db8::52:0:1]', false],
    ['[2001:db8::52:0:2]', true],
    ['[2001:db8::52:0:3]', false],
    ['[2002:db8:a::123]', false],
    ['[fe80::424b:c8be:1643:a1b6]', true],
    ['barbaz.net', true],
    ['www.barbaz.net', false],
    ['foobar.com', false],
    ['www.foobar.com', false],
    ['foofoobar.com', true],
    ['baz.com', true],
    ['localhost.net', true],
    ['local.localhost', true],
    ['barbarbaz.net', true],
    ['wildcard.io', true],
    ['nested.wildcard.io', false],
    ['awildcard.io', true],
  ];
  const proxied = (host: string, no: string) => proxyFromEnvironment(new URL(`http://${host}:80`), { HTTP_PROXY: 'proxy:3128', NO_PROXY: no }) !== undefined;
  for (const [host, want] of cases) {
    it(`${host}: ${want ? 'proxied' : 'direct'}`, () => assert.equal(proxied(host, noProxy), want));
  }
  it('an entry without a host (":1") is ignored (TestInvalidNoProxy)', () => assert.equal(proxied('example.com', ':1'), true));
  it('"*" exempts every host (TestAllNoProxy)', () => {
    for (const [host] of cases) assert.equal(proxied(host, '*'), false, host);
  });
});

describe("parseProxyUrl: a kubeconfig cluster's proxy-url", () => {
  it('accepts http, https and socks5', () => {
    for (const u of ['http://p:3128', 'https://p', 'socks5://p:1080']) assert.equal(parseProxyUrl(u, 'c').href.startsWith(u), true);
  });
  it("rejects other schemes with kubectl's message", () => {
    // kubectl 1.32: error: invalid 'proxy-url' "ftp://127.0.0.1:3128" for cluster "c": unsupported scheme "ftp", must be http, https, or socks5
    assert.throws(
      () => parseProxyUrl('ftp://127.0.0.1:3128', 'c'),
      (e: unknown) => e instanceof ClusterError && e.message === `invalid 'proxy-url' "ftp://127.0.0.1:3128" for cluster "c": unsupported scheme "ftp", must be http, https, or socks5`,
    );
  });
});
