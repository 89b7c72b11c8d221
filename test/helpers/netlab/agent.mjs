// The packet lab's agent: one per network namespace (started with `ip netns exec NS node
// agent.mjs CONFIG`). Plain JavaScript so that it starts fast; test/helpers/netlab-agent.ts
// drives it and declares the message types.
//
// Listener: for every {address, port} in CONFIG.listen it answers on TCP and UDP with one JSON
// line {responder, local, peer}: its own name, the address:port the packet reached (after any
// DNAT) and the source address it saw (after any masquerade).
// Prober: each stdin line {id, probes, concurrency} gets one stdout line {id, results}: every
// probe opens a TCP connection or sends a UDP datagram from source:sourcePort to
// destination:port and reports the answer, "refused" (ECONNREFUSED: a REJECT's ICMP port
// unreachable or a TCP reset), "timeout" (nothing came back: DROP) or the socket error.
// The agent exits when its stdin closes, so it never outlives the test that started it.
import dgram from 'node:dgram';
import net from 'node:net';
import { createInterface } from 'node:readline';

const config = JSON.parse(process.argv[2] ?? '{}');
const name = String(config.name ?? 'agent');

const endpoint = (address, port) => (address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`);
const answer = (localAddress, localPort, peer) => JSON.stringify({ responder: name, local: endpoint(localAddress, localPort), peer }) + '\n';
const send = (message) => process.stdout.write(JSON.stringify(message) + '\n');

function listenTcp(address, port) {
  return new Promise((resolve, reject) => {
    const server = net.createServer((socket) => {
      socket.on('error', () => {});
      if (socket.localAddress && socket.remoteAddress) socket.end(answer(socket.localAddress, socket.localPort, socket.remoteAddress));
      else socket.destroy();
    });
    server.on('error', reject);
    server.listen({ host: address, port, backlog: 1024 }, () => resolve(server));
  });
}

function listenUdp(address, port) {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket({ type: address.includes(':') ? 'udp6' : 'udp4' });
    socket.on('error', reject);
    socket.on('message', (_msg, rinfo) => socket.send(answer(address, port, rinfo.address), rinfo.port, rinfo.address));
    socket.bind({ address, port, exclusive: true }, () => resolve(socket));
  });
}

const REFUSED = new Set(['ECONNREFUSED']);

function outcomeOf(err) {
  return REFUSED.has(err.code) ? { outcome: 'refused' } : { outcome: 'error', code: err.code ?? String(err.message) };
}

function parseAnswer(text) {
  try {
    const a = JSON.parse(text);
    return { outcome: 'answer', responder: a.responder, local: a.local, peer: a.peer };
  } catch {
    return { outcome: 'error', code: `bad answer ${JSON.stringify(text.slice(0, 80))}` };
  }
}

function probeTcp(p) {
  return new Promise((resolve) => {
    let data = '';
    let done = false;
    const finish = (r) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(r);
    };
    const socket = net.connect({ host: p.destination, port: p.port, localAddress: p.source, localPort: p.sourcePort });
    const timer = setTimeout(() => finish({ outcome: 'timeout' }), p.timeoutMs);
    socket.setEncoding('utf8');
    socket.on('data', (d) => (data += d));
    // The listener closes first (it ends after its answer), so the prober leaves no TIME_WAIT.
    socket.on('end', () => finish(parseAnswer(data)));
    socket.on('error', (err) => finish(outcomeOf(err)));
  });
}

function probeUdp(p) {
  return new Promise((resolve) => {
    let done = false;
    let resend;
    const socket = dgram.createSocket({ type: p.source.includes(':') ? 'udp6' : 'udp4' });
    const finish = (r) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearInterval(resend);
      socket.close();
      resolve(r);
    };
    const timer = setTimeout(() => finish({ outcome: 'timeout' }), p.timeoutMs);
    // A connected socket reports ICMP port unreachable as ECONNREFUSED.
    socket.on('error', (err) => finish(outcomeOf(err)));
    socket.on('message', (msg) => finish(parseAnswer(String(msg))));
    socket.bind({ address: p.source, port: p.sourcePort, exclusive: true }, () => {
      socket.connect(p.port, p.destination, (err) => {
        if (err) return finish(outcomeOf(err));
        // Same socket, same 5-tuple, same conntrack entry: a resend cannot change the NAT
        // decision, it only covers a datagram lost before conntrack saw it.
        const fire = () => socket.send('probe', (e) => e && finish(outcomeOf(e)));
        fire();
        resend = setInterval(fire, 400);
      });
    });
  });
}

async function runProbes(probes, concurrency) {
  const results = new Array(probes.length);
  let next = 0;
  const worker = async () => {
    while (next < probes.length) {
      const i = next++;
      const p = probes[i];
      results[i] = await (p.protocol === 'udp' ? probeUdp(p) : probeTcp(p));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, probes.length)) }, worker));
  return results;
}

const closers = [];
try {
  for (const { address, port } of config.listen ?? []) {
    closers.push(await listenTcp(address, port), await listenUdp(address, port));
  }
  send({ ready: true });
} catch (err) {
  send({ ready: false, error: `${name}: ${err.code ?? ''} ${err.message}` });
  process.exit(1);
}

const input = createInterface({ input: process.stdin });
input.on('line', async (line) => {
  const request = JSON.parse(line);
  const results = await runProbes(request.probes, request.concurrency ?? 32);
  send({ id: request.id, results });
});
input.on('close', () => process.exit(0));
