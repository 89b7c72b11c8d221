// Turns what can go wrong talking to an API server into svctrace's one-line errors: a
// connection that fails (refused, no such host, TLS, timeout) or an answer that is not 2xx
// (the API server's Status object says why). Wording follows kubectl where kubectl is clear
// (refused connections, 401, Status messages) and names what svctrace asked for elsewhere.
// Pure functions: live-http.ts calls them.
import { STATUS_CODES } from 'node:http';
import { ClusterError, NotFoundError, type SvctraceError } from '../errors.js';
import { proxyLabel } from './proxy-env.js';

/** What a request was for, in API terms, so errors can name it. */
export interface RequestPurpose {
  verb: 'get' | 'list';
  /** Plural resource with its group, as the API names it: "services", "endpointslices.discovery.k8s.io". */
  resource?: string;
  namespace?: string;
  name?: string;
  /** The path, for requests that are not about a resource (e.g. /openapi/v3). */
  path: string;
}

/** A request that got no answer within --request-timeout. */
export class RequestTimeout extends Error {
  constructor(readonly ms: number) {
    super(`timeout after ${ms} ms`);
  }
}

/** "list services in the namespace "web"", "get configmaps "kube-proxy" in ...", "GET /openapi/v3". */
export function describePurpose(p: RequestPurpose): string {
  if (!p.resource) return `GET ${p.path}`;
  const what = p.name ? `${p.resource} "${p.name}"` : p.resource;
  const scope = p.namespace ? ` in the namespace "${p.namespace}"` : p.verb === 'list' ? ' at the cluster scope' : '';
  return `${p.verb} ${what}${scope}`;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_|EPROTO|ALTNAME|ISSUER|HOSTNAME_MISMATCH/;

/**
 * A failure before any HTTP answer: refused, unresolvable, TLS, reset, timeout. With a proxy,
 * refused and unresolvable are the proxy's (the client dials nothing else), as is a tunnel the
 * proxy would not open.
 */
export function connectionError(err: unknown, server: URL, purpose: RequestPurpose, proxy?: URL): ClusterError {
  const host = server.host;
  if (err instanceof RequestTimeout) {
    return new ClusterError(`the server ${host} did not answer (${describePurpose(purpose)}) within ${seconds(err.ms)}: raise --request-timeout or check the connection`);
  }
  const e = err as NodeJS.ErrnoException;
  const code = e.code ?? '';
  if (proxy) {
    const through = `Unable to connect to the server ${host}: proxyconnect ${proxyLabel(proxy)}`;
    if (code === 'ECONNREFUSED') return new ClusterError(`${through}: the proxy refused the connection (is the proxy-url or HTTPS_PROXY/HTTP_PROXY right?)`);
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new ClusterError(`${through}: no such host "${proxy.hostname}"`);
    const refusedTunnel = /^Bad response: (\d+)/.exec(e.message ?? ''); // hpagent's CONNECT answer
    if (refusedTunnel) return new ClusterError(`${through}: the proxy answered CONNECT with ${refusedTunnel[1]} ${STATUS_CODES[refusedTunnel[1]!] ?? ''}`.trimEnd());
  }
  if (code === 'ECONNREFUSED') {
    return new ClusterError(`The connection to the server ${host} was refused - did you specify the right host or port?`);
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new ClusterError(`Unable to connect to the server ${host}: no such host "${server.hostname}"`);
  }
  if (TLS_CODES.test(code) || /ssl|tls|certificate/i.test(e.message ?? '')) {
    const why = firstLine(e.message) || code;
    const hint = /ALTNAME|HOSTNAME/.test(code) ? "check the server address or the cluster's tls-server-name" : "check the cluster's certificate-authority";
    return new ClusterError(`Unable to connect to the server ${host}: TLS failure: ${why}${code && !why.includes(code) ? ` (${code})` : ''}; ${hint} in the kubeconfig`);
  }
  if (code === 'ECONNRESET' && server.protocol === 'http:') {
    // What a TLS server does with plain HTTP: it hangs up.
    return new ClusterError(`Unable to connect to the server ${host}: the connection was closed (${server.origin} is http: does the server want https?)`);
  }
  if (code.startsWith('HPE_')) {
    return new ClusterError(`Unable to connect to the server ${host}: the answer is not HTTP (${server.protocol.replace(':', '')} to a server that speaks something else?)`);
  }
  return new ClusterError(`Unable to connect to the server ${host}: ${firstLine(e.message) || code || 'connection failed'}`);
}

interface Status {
  kind?: string;
  message?: string;
  reason?: string;
  code?: number;
}

/** Parses a Status object out of an error body; undefined when the body is not one. */
export function parseStatus(body: string): Status | undefined {
  try {
    const v: unknown = JSON.parse(body);
    if (typeof v === 'object' && v !== null && (v as Status).kind === 'Status') return v as Status;
  } catch {
    // not JSON: a proxy's HTML page, plain text
  }
  return undefined;
}

/** The error for a non-2xx answer. 404 of a named object is kubectl's NotFound (exit 2). */
export function statusError(code: number, body: string, purpose: RequestPurpose): SvctraceError {
  const st = parseStatus(body);
  const message = st?.message || firstLine(body).slice(0, 200) || httpReason(code);
  const reason = st?.reason || httpReason(code);
  const what = describePurpose(purpose);
  switch (code) {
    case 401:
      // kubectl 1.32 prints client-go's generic text for the API server's bare "Unauthorized".
      return new ClusterError(`You must be logged in to the server (${!st?.message || st.message === 'Unauthorized' ? UNAUTHORIZED : message})`);
    case 403: {
      // The API server's message names user, verb, resource and namespace; a proxy's may not.
      const named = purpose.resource ? message.includes(purpose.resource.split('.')[0]!) : message.includes(purpose.path);
      return new ClusterError(named ? message : `forbidden: cannot ${what}: ${message}`);
    }
    case 404:
      if (purpose.name) return new NotFoundError(purpose.resource ?? 'resource', purpose.name);
      if (purpose.resource) return new ClusterError(`the server doesn't have a resource type "${purpose.resource}" (${what})`);
      return notFound(message);
    case 410:
      // A continue token outlived etcd's compaction while paging a very large list.
      return new ClusterError(`the server could not ${what} (${reason}, 410): ${message}; the list changed while it was read in pages: run the command again`);
    default:
      return new ClusterError(`the server could not ${what} (${reason}, ${code}): ${message}`);
  }
}

/** kubectl's NotFound line for a path that is not an object (e.g. /openapi/v3 on an old server). */
function notFound(message: string): NotFoundError {
  const err = new NotFoundError('', '');
  err.message = `Error from server (NotFound): ${message}`;
  return err;
}

const UNAUTHORIZED = 'the server has asked for the client to provide credentials';

const REASONS: Record<number, string> = {
  400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed',
  409: 'Conflict', 410: 'Expired', 429: 'TooManyRequests', 500: 'InternalError', 502: 'BadGateway',
  503: 'ServiceUnavailable', 504: 'Timeout',
};
function httpReason(code: number): string {
  return REASONS[code] ?? `HTTP ${code}`;
}

/** The first line that is not blank, trimmed ('' when there is none). */
export function firstLine(s: string | undefined): string {
  return (s ?? '').split('\n').map((l) => l.trim()).find((l) => l !== '') ?? '';
}

/** Replaces every secret in a message with "[redacted]": a last guard for error text. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) if (s) out = out.split(s).join('[redacted]');
  return out;
}
