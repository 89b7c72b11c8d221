// A forward HTTP proxy on loopback for the live-source tests, speaking both forms a client uses:
// absolute-form requests (`GET http://host/path`, what Go sends for http URLs) and CONNECT
// tunnels (https URLs). It records every request, may demand Basic credentials (407), and maps
// host names to loopback addresses, so a test can name a server that only the proxy can reach
// (no DNS lookup happens) while nothing outside loopback is ever addressed: a target that is
// neither mapped nor loopback is answered 502 without a connection.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface ProxiedRequest {
  /** "GET" (absolute form) or "CONNECT". */
  method: string;
  /** The absolute URL, or host:port for CONNECT. */
  target: string;
  /** The Proxy-Authorization header, decoded ("user:password"), when sent. */
  credentials?: string;
}

export interface TestProxy {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  requests: ProxiedRequest[];
  close(): Promise<void>;
}

export interface TestProxyOptions {
  /** Host name → loopback host:port the proxy connects to instead. */
  hosts?: Record<string, string>;
  /** "user:password" the proxy demands (407 otherwise). */
  credentials?: string;
}

const isLoopbackHost = (host: string) => host === 'localhost' || /^127\./.test(host) || host === '[::1]' || host === '::1';

export async function startTestProxy(opts: TestProxyOptions = {}): Promise<TestProxy> {
  const requests: ProxiedRequest[] = [];
  const sockets = new Set<net.Socket>();

  /** Where to connect for host:port, or undefined when the target is off limits. */
  const destination = (host: string, port: string): { host: string; port: number } | undefined => {
    const mapped = opts.hosts?.[host];
    if (mapped) {
      const i = mapped.lastIndexOf(':');
      return { host: mapped.slice(0, i), port: Number(mapped.slice(i + 1)) };
    }
    return isLoopbackHost(host) ? { host: host.replace(/^\[|\]$/g, ''), port: Number(port) } : undefined;
  };

  const record = (req: http.IncomingMessage): string | undefined => {
    const auth = /^Basic (.+)$/.exec(String(req.headers['proxy-authorization'] ?? ''));
    const credentials = auth ? Buffer.from(auth[1]!, 'base64').toString('utf8') : undefined;
    requests.push({ method: req.method ?? '', target: req.url ?? '', ...(credentials !== undefined ? { credentials } : {}) });
    return credentials;
  };
  const authorized = (credentials: string | undefined) => !opts.credentials || credentials === opts.credentials;

  const server = http.createServer((req, res) => {
    const credentials = record(req);
    if (!authorized(credentials)) {
      res.writeHead(407, { 'Proxy-Authenticate': 'Basic realm="test"' }).end('proxy authentication required\n');
      return;
    }
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end('absolute-form request expected\n');
      return;
    }
    const to = destination(target.hostname, target.port || '80');
    if (!to) {
      res.writeHead(502).end(`refusing to leave loopback for ${target.host}\n`);
      return;
    }
    const { 'proxy-authorization': _a, 'proxy-connection': _c, ...headers } = req.headers;
    const upstream = http.request({ host: to.host, port: to.port, method: req.method, path: target.pathname + target.search, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', (err) => res.writeHead(502).end(`${err.message}\n`));
    req.pipe(upstream);
  });

  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const credentials = record(req);
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    if (!authorized(credentials)) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const m = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(req.url ?? '');
    const to = m ? destination(m[1]!, m[2]!) : undefined;
    if (!to) {
      client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const upstream = net.connect(to.port, to.host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n'));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
