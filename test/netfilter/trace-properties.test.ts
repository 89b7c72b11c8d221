// Properties of the tracer over generated kube-proxy rule sets (seeded random clusters of every
// service kind, policy and profile 1.16 .. newest) and random packets to their addresses:
//   - tracing never throws;
//   - the paths' exact odds sum to 1, and each path's probability is the product of its steps;
//   - every DNAT destination is a --to-destination of the rule set;
//   - the destinations are the endpoints kube-proxy's own test tracer collects (upstream's
//     simpler tracer, ported in test/proxy/support), for packets from a pod to a cluster IP.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseRuleset, printSave, type Ruleset } from '../../src/netfilter/index.js';
import { tracePacket, type TraceResult } from '../../src/netfilter/trace.js';
import { parseIP } from '../../src/cli/trace-target.js';
import { nodeRuleset } from '../../src/proxy/node-rules.js';
import { renderNode } from '../../src/proxy/render.js';
import { RANDOM_NODE_IPS, randomCluster } from '../proxy/support/random-cluster.js';
import { oddsSum } from '../helpers/odds.js';
import { tracePacket as upstreamTrace } from '../proxy/support/kube-proxy-tracer.js';

interface Target {
  family: 'ipv4' | 'ipv6';
  address: string;
  port: number;
  protocol: 'tcp' | 'udp' | 'sctp';
  kind: 'cluster' | 'node' | 'external' | 'lb';
}

/** Every address:port a service answers on, from the cluster's objects. */
function targetsOf(objects: ReturnType<typeof randomCluster>['objects']): Target[] {
  const out: Target[] = [];
  for (const o of objects) {
    if (o.kind !== 'Service') continue;
    const spec = (o as { spec?: Record<string, unknown> }).spec ?? {};
    const status = (o as { status?: { loadBalancer?: { ingress?: Array<{ ip?: string }> } } }).status;
    for (const p of (spec.ports as Array<{ port: number; nodePort?: number; protocol: string }> | undefined) ?? []) {
      const protocol = p.protocol.toLowerCase() as Target['protocol'];
      const add = (address: string | undefined, port: number, kind: Target['kind']) => {
        const ip = address ? parseIP(address) : null; // the generator also writes invalid addresses
        if (ip) out.push({ family: ip.family, address: ip.address, port, protocol, kind });
      };
      for (const ip of (spec.clusterIPs as string[] | undefined) ?? []) if (ip !== 'None') add(ip, p.port, 'cluster');
      for (const ip of (spec.externalIPs as string[] | undefined) ?? []) add(ip, p.port, 'external');
      for (const ing of status?.loadBalancer?.ingress ?? []) add(ing.ip, p.port, 'lb');
      if (p.nodePort) for (const ip of RANDOM_NODE_IPS) add(ip, p.nodePort, 'node');
    }
  }
  return out;
}

const SOURCES = { ipv4: ['10.0.0.2', '203.0.113.7', '192.168.0.2', '127.0.0.1'], ipv6: ['fd00::2', '2001:db8:5::7', '2001:db8::1', '::1'] };

function dnatTargets(rs: Ruleset): Set<string> {
  return new Set([...printSave(rs).matchAll(/--to-destination (\S+)/g)].map((m) => m[1]!));
}

function checkInvariants(r: TraceResult, rs: Ruleset, what: string): void {
  for (const p of r.paths) {
    const product = p.steps.reduce((x, s) => x * s.branch, 1);
    assert.ok(Math.abs(product - p.probability) < 1e-12, `${what}: a path is the product of its steps`);
    assert.ok(p.probability > 0, `${what}: no path of probability 0`);
  }
  const [n, d] = oddsSum(r);
  assert.equal(n, d, `${what}: the odds sum to exactly 1`);
  const known = dnatTargets(rs);
  for (const dest of r.destinations) assert.ok(known.has(dest), `${what}: ${dest} is a DNAT target of the rules`);
  if (r.verdict === 'DNAT') assert.ok(r.destinations.length > 0);
}

describe('tracer properties on generated kube-proxy rules', () => {
  it('never throws; odds sum to 1; destinations are DNAT targets (seeded random clusters, every profile)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 0, max: 1000 }), fc.boolean(), (seed, pick, pinned) => {
        const c = randomCluster(seed, { services: 5 });
        const render = renderNode(c.snapshot, c.config);
        const targets = targetsOf(c.objects);
        for (const fam of render.families) {
          const family = fam.family === 4 ? 'ipv4' : 'ipv6';
          // the save form, read back as a node dump would be
          const rs = parseRuleset(printSave(nodeRuleset(fam, c.config.profile.switches)), { family, source: `seed ${seed}` });
          const local = RANDOM_NODE_IPS.filter((a) => a.includes(':') === (family === 'ipv6'));
          const mine = targets.filter((t) => t.family === family);
          for (const [i, t] of mine.entries()) {
            const source = SOURCES[family][(pick + i) % 4]!;
            const what = `seed ${seed} 1.${c.config.profile.version}: ${t.protocol} ${source} -> ${t.address}:${t.port}`;
            const r = tracePacket(rs, { family, source, destination: t.address, protocol: t.protocol, destinationPort: t.port }, { localAddresses: local }, { affinity: pinned ? 'pinned' : 'new' });
            checkInvariants(r, rs, what);
          }
        }
      }),
      { numRuns: 150, seed: 20240611 },
    );
  });

  it("pod -> cluster IP: the endpoints are the ones kube-proxy's own test tracer collects", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => {
        const c = randomCluster(seed, { services: 5, invalid: false });
        const render = renderNode(c.snapshot, c.config);
        for (const fam of render.families) {
          const family = fam.family === 4 ? 'ipv4' : 'ipv6';
          const rs = nodeRuleset(fam, c.config.profile.switches);
          const local = RANDOM_NODE_IPS.filter((a) => a.includes(':') === (family === 'ipv6'));
          for (const t of targetsOf(c.objects).filter((x) => x.family === family && x.kind === 'cluster')) {
            const source = family === 'ipv4' ? '10.0.0.2' : 'fd00::2';
            const mine = tracePacket(rs, { family, source, destination: t.address, protocol: t.protocol, destinationPort: t.port }, { localAddresses: local });
            const theirs = upstreamTrace(fam.payload, source, t.protocol, t.address, t.port, local);
            const what = `seed ${seed} 1.${c.config.profile.version}: ${t.protocol} ${source} -> ${t.address}:${t.port}`;
            if (theirs.output === 'REJECT' || theirs.output === 'DROP') {
              assert.equal(mine.verdict, theirs.output, what);
            } else if (theirs.output === '') {
              assert.equal(mine.verdict, 'ACCEPT', what);
            } else {
              assert.deepEqual([...mine.destinations].sort(), [...new Set(theirs.output.split(', '))].sort(), what);
            }
          }
        }
      }),
      { numRuns: 100, seed: 7 },
    );
  });
});
