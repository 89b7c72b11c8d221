// The one module that loads @kubernetes/client-node (about 300 ms of imports), and only for
// what it does well: turning a kubeconfig user into request credentials (token, basic auth,
// client certificates, exec plugins, auth providers) and TLS settings, through
// applyToHTTPSOptions. Requests themselves go through node:http/https (live-http.ts), so
// objects stay raw JSON (client-node's models turn timestamps into Dates and reorder keys)
// and lists, Status errors and /openapi/v3 all take one path. Only live.ts imports this,
// lazily, so offline commands never pay for it.
import { readFileSync } from 'node:fs';
import type https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import { ClusterError } from '../errors.js';
import type { ClusterTarget, Kubeconfig } from './kubeconfig.js';
import { firstLine } from './live-errors.js';

export interface Credentials {
  /** Request options carrying the agent (TLS material), Authorization header or basic auth. */
  options: https.RequestOptions;
  /** Secrets that appeared only now (an exec plugin's token), never to be printed. */
  secrets: string[];
}

/** Request options for the target's cluster and user; runs exec plugins if the user has one. */
export async function credentialsFor(target: ClusterTarget): Promise<Credentials> {
  const kc = new KubeConfig();
  kc.loadFromString(JSON.stringify(forClientNode(target.config, target.proxy)));
  const options: https.RequestOptions = { headers: {} };
  try {
    await kc.applyToHTTPSOptions(options);
  } catch (err) {
    throw credentialError(err, target);
  }
  const auth = (options.headers as Record<string, unknown>).Authorization;
  const secrets = typeof auth === 'string' ? [auth, auth.replace(/^\w+ /, '')] : [];
  if (typeof options.auth === 'string') secrets.push(options.auth, Buffer.from(options.auth).toString('base64'));
  return { options, secrets };
}

/** The chosen context as client-node 1.4.0 needs it to behave like kubectl. */
function forClientNode(config: Kubeconfig, proxy: URL | undefined): Kubeconfig {
  const clusters = config.clusters.map((c) => {
    // TLS settings mean nothing for http (kubectl proxy, a test server), but client-node
    // 1.4.0 refuses http unless insecure-skip-tls-verify is set.
    const http = String(c.cluster.server ?? '').startsWith('http:');
    const { 'proxy-url': _configured, ...cluster } = c.cluster;
    // The proxy kubeconfig.ts chose (proxy-url or the environment) goes to client-node's agent
    // (a CONNECT tunnel, or SOCKS5); an http server behind an http(s) proxy gets Go's
    // absolute-form requests from live-http.ts instead, so client-node must not tunnel it.
    const tunnel = proxy && (!http || proxy.protocol === 'socks5:') ? { 'proxy-url': proxy.href } : {};
    return { ...c, cluster: { ...cluster, ...tunnel, ...(http ? { 'insecure-skip-tls-verify': true } : {}) } };
  });
  const users = config.users.map((u) => {
    // client-go reads token-file trimmed, and it wins over token; client-node reads it raw,
    // and a trailing newline makes an invalid header.
    const file = u.user['token-file'];
    if (typeof file !== 'string' || file === '') return u;
    const { 'token-file': _f, ...rest } = u.user;
    return { ...u, user: { ...rest, token: readToken(file) } };
  });
  return { ...config, clusters, users };
}

function readToken(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ClusterError(`cannot read the token file "${file}" (${code})`);
  }
}

/** One line for a failure to produce credentials: a missing file, an exec plugin that failed. */
function credentialError(err: unknown, target: ClusterTarget): ClusterError {
  const e = err as NodeJS.ErrnoException & { path?: string };
  const user = target.config.users[0]?.name ?? '';
  const exec = target.config.users[0]?.user.exec as { command?: string } | undefined;
  if (exec?.command) {
    const why = e.code === 'ENOENT' ? 'not found' : firstLine(e.message) || 'failed with no message';
    return new ClusterError(`exec credential plugin "${exec.command}" of user "${user}": ${why}`);
  }
  if (e.code === 'ENOENT' || e.code === 'EACCES') {
    return new ClusterError(`cannot read "${e.path ?? ''}" named by user "${user}" or its cluster in the kubeconfig (${e.code})`);
  }
  return new ClusterError(`cannot use the credentials of user "${user}": ${firstLine(e.message ?? String(err))}`);
}
