// The HTTP proxy a live command goes through, chosen as kubectl (client-go) chooses it: the
// cluster's `proxy-url` in the kubeconfig when it has one, for every request; else the
// environment, read as Go's net/http ProxyFromEnvironment reads it (golang.org/x/net/http/httpproxy):
// HTTPS_PROXY for https servers, HTTP_PROXY for http ones (upper case first), NO_PROXY to
// exempt hosts, and never for localhost or a loopback address. Pure: the caller passes the env.
import { ClusterError } from '../errors.js';
import { cidrContains, isLoopback, parseCIDR, parseIP, type IP } from './ip.js';

/** The schemes client-go accepts in `proxy-url`. */
const PROXY_SCHEMES = new Set(['http:', 'https:', 'socks5:']);

/**
 * A kubeconfig cluster's `proxy-url`, checked as clientcmd's validation checks it (the message
 * is kubectl's).
 */
export function parseProxyUrl(text: string, clusterName: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    throw new ClusterError(`invalid 'proxy-url' "${text}" for cluster "${clusterName}": could not parse: ${text}`);
  }
  if (!PROXY_SCHEMES.has(url.protocol)) {
    throw new ClusterError(`invalid 'proxy-url' "${text}" for cluster "${clusterName}": unsupported scheme "${url.protocol.slice(0, -1)}", must be http, https, or socks5`);
  }
  return url;
}

/** httpproxy's parseProxy: a value without a scheme (or host) is read as http://VALUE. */
function parseProxyValue(value: string): URL | undefined {
  if (value === '') return undefined;
  try {
    const url = new URL(value);
    if (url.host !== '' && /^[a-z][a-z0-9+.-]*:$/i.test(url.protocol)) return url;
  } catch {
    // fall through to the http:// retry
  }
  try {
    return new URL(`http://${value}`);
  } catch {
    return undefined; // Go reports it and uses no proxy
  }
}

type Matcher = (host: string, port: string, ip: IP | undefined) => boolean;

/** NO_PROXY's entries: "*", CIDRs, IPs (with an optional port), domains (".x", "*.x", "x", with an optional port). */
function noProxyMatchers(noProxy: string): Matcher[] {
  const out: Matcher[] = [];
  for (const raw of noProxy.split(',')) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return [() => true];
    const cidr = entry.includes('/') ? parseCIDR(entry) : null;
    if (cidr) {
      out.push((_h, _p, ip) => ip !== undefined && cidrContains(cidr, ip));
      continue;
    }
    let host = entry;
    let port = '';
    const hostPort = /^(\[[^\]]*\]|[^:]*):(\d*)$/.exec(entry);
    if (hostPort) {
      host = hostPort[1]!;
      port = hostPort[2]!;
      if (host === '') continue; // no host part: malformed, ignored
      if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
    }
    const ip = parseIP(host);
    if (ip) {
      out.push((_h, p, target) => target !== undefined && target.family === ip.family && target.bytes.every((b, i) => b === ip.bytes[i]) && (port === '' || port === p));
      continue;
    }
    if (host === '') continue;
    if (host.startsWith('*.')) host = host.slice(1);
    const matchHost = !host.startsWith('.');
    const suffix = matchHost ? `.${host}` : host;
    // Go applies domain entries to IP hosts too, as text.
    out.push((h, p) => (h.endsWith(suffix) || (matchHost && h === suffix.slice(1))) && (port === '' || port === p));
  }
  return out;
}

/**
 * The proxy Go's ProxyFromEnvironment picks for `server` (an http or https URL), or undefined
 * for a direct connection.
 */
export function proxyFromEnvironment(server: URL, env: Record<string, string | undefined>): URL | undefined {
  const get = (upper: string) => env[upper] || env[upper.toLowerCase()] || '';
  let value: string;
  if (server.protocol === 'https:') value = get('HTTPS_PROXY');
  else if (server.protocol === 'http:') value = env.REQUEST_METHOD ? '' : get('HTTP_PROXY'); // CGI: HTTP_PROXY is a request header
  else return undefined;
  const proxy = parseProxyValue(value);
  if (!proxy) return undefined;

  const host = server.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = server.port || (server.protocol === 'https:' ? '443' : '80');
  if (host === 'localhost') return undefined;
  const ip = parseIP(host) ?? undefined;
  if (ip && isLoopback(ip)) return undefined;
  if (noProxyMatchers(get('NO_PROXY')).some((m) => m(host, port, ip))) return undefined;
  return proxy;
}

/** A proxy URL as messages may show it: scheme, host and port, no credentials. */
export const proxyLabel = (proxy: URL): string => `${proxy.protocol}//${proxy.host}`;

/** The base64 "user:password" of a proxy URL's credentials (Proxy-Authorization: Basic), if it has any. */
export function proxyBasicCredentials(proxy: URL): string | undefined {
  if (!proxy.username && !proxy.password) return undefined;
  return Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64');
}
