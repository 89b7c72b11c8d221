// GET requests to the API server over node:http/https with the credentials kube-client.ts
// prepared: one timeout per request (--request-timeout, sent to the server too, as kubectl
// does), gzip, JSON bodies, the server's Warning headers passed on as kubectl prints them, and
// every failure mapped to one line by live-errors.ts. There is no other verb: svctrace is
// read-only by construction.
import http from 'node:http';
import https from 'node:https';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { SvctraceError } from '../errors.js';
import { RequestTimeout, connectionError, describePurpose, redact, statusError, type RequestPurpose } from './live-errors.js';
import { proxyBasicCredentials } from './proxy-env.js';

const gunzipAsync = promisify(gunzip);

export interface ApiClient {
  server: URL;
  /**
   * GETs purpose.path with `query` and returns the parsed JSON body. Warnings and -v lines go
   * to `notes` when given (callers running requests in parallel keep their order that way).
   */
  get(purpose: RequestPurpose, query?: Record<string, string>, notes?: string[]): Promise<unknown>;
}

export interface ApiClientSettings {
  server: string;
  /** From kube-client.ts: agent, headers, basic auth. */
  options: https.RequestOptions;
  /** Per request; 0 = none. */
  timeoutMs: number;
  secrets: readonly string[];
  /**
   * The proxy kubeconfig.ts chose. An https server (or any behind SOCKS5) is reached through
   * client-node's tunnelling agent in `options`; an http server gets absolute-form requests
   * sent to the proxy here, as Go's transport sends them.
   */
  proxy?: URL;
  /** Server warnings ("Warning: ...") and, at -v 2, one line per request. */
  warn(line: string): void;
  verbose: number;
}

const USER_AGENT = `svctrace (${process.platform}/${process.arch}) node/${process.version}`;

/** kubectl's duration form for the `timeout` query parameter: "30s", "1m0s", "500ms". */
function goDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  const rest = s - m * 60;
  if (m < 60) return `${m}m${rest}s`;
  return `${Math.floor(m / 60)}h${m % 60}m${rest}s`;
}

export function createApiClient(settings: ApiClientSettings): ApiClient {
  const server = new URL(settings.server);
  const seenWarnings = new Set<string>();

  async function get(purpose: RequestPurpose, query: Record<string, string> = {}, notes?: string[]): Promise<unknown> {
    const note = (line: string) => (notes ? notes.push(line) : settings.warn(line));
    // The server's URL may carry a path prefix (a proxy in front of the API server).
    const url = new URL(server.href.replace(/\/$/, '') + purpose.path);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    if (settings.timeoutMs > 0 && !url.searchParams.has('timeout')) url.searchParams.set('timeout', goDuration(settings.timeoutMs));
    url.searchParams.sort(); // Go's url.Values.Encode order: the same request line as kubectl's
    try {
      const res = await send(url, settings);
      for (const w of warnings(res.headers.warning)) {
        if (!seenWarnings.has(w)) note(`Warning: ${w}`);
        seenWarnings.add(w);
      }
      if (settings.verbose >= 2) note(`GET ${url.pathname}${url.search} ${res.status}`);
      const text = res.body.toString('utf8');
      if (res.status < 200 || res.status > 299) throw statusError(res.status, text, purpose);
      try {
        return JSON.parse(text);
      } catch {
        throw connectionError(new Error(`the answer to ${describePurpose(purpose)} is not JSON`), server, purpose, settings.proxy);
      }
    } catch (err) {
      const mapped = err instanceof SvctraceError ? err : connectionError(err, server, purpose, settings.proxy);
      mapped.message = redact(mapped.message, settings.secrets);
      throw mapped;
    }
  }

  return { server, get };
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** One GET; rejects with the socket's error or RequestTimeout. Only GET is ever sent. */
function send(url: URL, settings: ApiClientSettings): Promise<Answer> {
  const headers = {
    ...(settings.options.headers as Record<string, string>),
    Accept: 'application/json',
    'Accept-Encoding': 'gzip',
    'User-Agent': USER_AGENT,
  };
  const options: https.RequestOptions = { ...settings.options, method: 'GET', headers };
  const lib = url.protocol === 'https:' ? https : http;
  const absolute = absoluteFormProxy(url, settings.proxy);
  return new Promise<Answer>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const onAnswer = (res: http.IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        clearTimeout(timer);
        const raw = Buffer.concat(chunks);
        const done = (body: Buffer) => resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        if (res.headers['content-encoding'] === 'gzip') gunzipAsync(raw).then(done, reject);
        else done(raw);
      });
    };
    const req = absolute ? proxiedRequest(url, absolute, options, onAnswer) : lib.request(url, options, onAnswer);
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    if (settings.timeoutMs > 0) {
      timer = setTimeout(() => req.destroy(new RequestTimeout(settings.timeoutMs)), settings.timeoutMs);
    }
    req.end();
  });
}

/** The proxy an http URL is requested through in absolute form (not SOCKS5, which tunnels). */
const absoluteFormProxy = (url: URL, proxy: URL | undefined): URL | undefined =>
  proxy && url.protocol === 'http:' && proxy.protocol !== 'socks5:' ? proxy : undefined;

/** `GET http://server/path` sent to an http(s) proxy, with its Proxy-Authorization when the URL has credentials. */
function proxiedRequest(url: URL, proxy: URL, options: https.RequestOptions, onAnswer: (res: http.IncomingMessage) => void): http.ClientRequest {
  const basic = proxyBasicCredentials(proxy);
  const credentials = basic ? { 'Proxy-Authorization': `Basic ${basic}` } : {};
  const { agent: _direct, ...rest } = options; // client-node's agent dials the server itself
  const hostname = proxy.hostname.replace(/^\[|\]$/g, '');
  return (proxy.protocol === 'https:' ? https : http).request(
    {
      ...rest,
      host: hostname,
      port: proxy.port || (proxy.protocol === 'https:' ? 443 : 80),
      path: url.href,
      headers: { ...(rest.headers as Record<string, string>), Host: url.host, ...credentials },
      ...(proxy.protocol === 'https:' ? { servername: hostname } : {}),
    },
    onAnswer,
  );
}

/** The texts of RFC 7234 Warning headers (`299 - "text"`), as kubectl prints them. */
export function warnings(header: string | string[] | undefined): string[] {
  if (!header) return [];
  const out: string[] = [];
  for (const h of Array.isArray(header) ? header : [header]) {
    const re = /\d{3} \S+ "((?:[^"\\]|\\.)*)"/g;
    let m: RegExpExecArray | null;
    let any = false;
    while ((m = re.exec(h))) {
      out.push(m[1]!.replace(/\\(.)/g, '$1'));
      any = true;
    }
    if (!any && h.trim()) out.push(h.trim());
  }
  return out;
}
