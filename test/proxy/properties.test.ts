// Properties over seeded random clusters (every Service kind and option, every profile):
// deterministic output, no jump to a chain that will not exist on the node, every
// per-service line tied to its service, a service's view being exactly its part of the node,
// and rendering cost linear in services x endpoints (each chain name hashed once, and only
// for what is rendered).
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { syncBuiltinESMExports } from 'node:module';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { nodeBaseline } from '../../src/proxy/node-baseline.js';
import { linesText, ownedBy, restoreLines, saveLines, selectLines } from '../../src/proxy/node-rules.js';
import { renderNode } from '../../src/proxy/render.js';
import { servicePortSummaries } from '../../src/proxy/summary.js';
import { randomCluster } from './support/random-cluster.js';

const seeds = fc.integer({ min: 1, max: 1_000_000 });
const RUNS = { numRuns: 60 };
const TARGETS = new Set(['ACCEPT', 'REJECT', 'DROP', 'MARK', 'RETURN', 'DNAT', 'SNAT', 'MASQUERADE']);

describe('renderer properties (fast-check over random clusters)', () => {
  it('is deterministic: the same cluster renders the same bytes', () => {
    fc.assert(fc.property(seeds, (seed) => {
      const a = randomCluster(seed);
      const b = randomCluster(seed);
      const view = (r: ReturnType<typeof renderNode>) => ({
        payloads: r.families.map((f) => f.payload),
        lines: r.families.map((f) => restoreLines(f)),
        summaries: servicePortSummaries(r),
        warnings: r.warnings,
        skipped: r.skipped,
      });
      assert.deepEqual(view(renderNode(a.snapshot, a.config)), view(renderNode(b.snapshot, b.config)));
    }), RUNS);
  });

  it('jumps only to chains the payload declares or the node baseline holds (KUBE-MARK-DROP up to 1.26, ...)', () => {
    fc.assert(fc.property(seeds, (seed) => {
      const c = randomCluster(seed);
      for (const f of renderNode(c.snapshot, c.config).families) {
        const baseline = nodeBaseline(c.config.profile.switches, f.family);
        for (const t of f.tables) {
          const exists = new Set([...t.chains.map((x) => x.chain), ...(baseline.tables.find((b) => b.table === t.name)?.chains.map((x) => x.chain) ?? [])]);
          for (const r of t.rules) {
            const target = / -j (\S+)/.exec(r.text)?.[1];
            if (target && !TARGETS.has(target)) assert.ok(exists.has(target), `seed ${seed} 1.${c.config.profile.minor}: ${r.text}`);
          }
        }
      }
    }), RUNS);
  });

  it('restore lines are the payload; per-service chains and their rules all name their service port', () => {
    fc.assert(fc.property(seeds, (seed) => {
      const c = randomCluster(seed);
      for (const f of renderNode(c.snapshot, c.config).families) {
        const lines = restoreLines(f);
        assert.equal(linesText(lines), f.payload);
        for (const l of lines) {
          if (l.chain && /^KUBE-(SVC|SVL|EXT|FW|XLB|SEP)-/.test(l.chain)) assert.ok(l.owner, `seed ${seed}: ${l.text}`);
        }
      }
    }), RUNS);
  });

  it("a service's rules are its part of the node: selections of all services plus the shared lines are the whole node", () => {
    fc.assert(fc.property(seeds, (seed) => {
      const c = randomCluster(seed, { services: 4 });
      for (const f of renderNode(c.snapshot, c.config).families) {
        const all = saveLines(f, c.config.profile.switches);
        const owned = all.filter((l) => l.owner).map((l) => l.text).sort();
        const services = new Set(all.filter((l) => l.owner).map((l) => `${l.owner!.namespace}/${l.owner!.service}`));
        const selected = [...services].flatMap((key) => {
          const [ns, name] = key.split('/');
          return selectLines(all, ownedBy(ns!, name)).filter((l) => l.kind === 'rule' || l.kind === 'chain').map((l) => l.text);
        });
        assert.deepEqual(selected.sort(), owned);
      }
    }), { numRuns: 30 });
  });

  it('endpoint shares of every balancing chain add up to 1', () => {
    fc.assert(fc.property(seeds, (seed) => {
      const c = randomCluster(seed);
      for (const p of servicePortSummaries(renderNode(c.snapshot, c.config))) {
        for (const list of [p.cluster, p.local ?? []]) {
          if (list.length === 0) continue;
          assert.ok(Math.abs(list.reduce((s, e) => s + e.share, 0) - 1) < 1e-9);
          assert.equal(list.at(-1)!.probability, undefined, 'the last rule is unconditional');
        }
      }
    }), RUNS);
  });
});

describe('rendering cost', () => {
  /** sha256 computations during fn (node:crypto's createHash wrapped, ESM bindings synced). */
  function countHashes(fn: () => void): number {
    const original = crypto.createHash;
    let n = 0;
    crypto.createHash = ((...args: Parameters<typeof original>) => {
      n++;
      return original(...args);
    }) as typeof original;
    syncBuiltinESMExports();
    try {
      fn();
    } finally {
      crypto.createHash = original;
      syncBuiltinESMExports();
    }
    return n;
  }

  it('hashes each chain name once: one hash per service port and one per endpoint, per family', () => {
    for (const seed of [3, 11, 29]) {
      const c = randomCluster(seed, { services: 12, maxEndpoints: 40, invalid: false });
      let render!: ReturnType<typeof renderNode>;
      const hashes = countHashes(() => {
        render = renderNode(c.snapshot, c.config);
      });
      const expected = render.families.reduce((n, f) => n + f.servicePorts.reduce((m, p) => m + 1 + p.endpoints.length, 0), 0);
      assert.equal(hashes, expected, `seed ${seed}`);
    }
  });

  it('rendering one service names only its endpoints\' chains (the rest are only counted)', () => {
    for (const seed of [3, 11, 29]) {
      const c = randomCluster(seed, { services: 12, maxEndpoints: 40, invalid: false });
      const one = c.snapshot.services[0]!;
      const all = renderNode(c.snapshot, c.config);
      let render!: ReturnType<typeof renderNode>;
      const hashes = countHashes(() => {
        render = renderNode(c.snapshot, c.config, { include: (s) => s === one });
      });
      // Every service port's chains are still named (servicePortsFor), endpoints only for `one`.
      const ports = all.families.reduce((n, f) => n + f.servicePorts.length, 0);
      const endpoints = render.families.reduce((n, f) => n + f.servicePorts.reduce((m, p) => m + p.endpoints.length, 0), 0);
      assert.equal(hashes, ports + endpoints, `seed ${seed}`);
    }
  });

  it('output grows linearly: twice the endpoints, at most about twice the lines', () => {
    const lines = (maxEndpoints: number) => {
      const c = randomCluster(5, { services: 20, maxEndpoints, invalid: false, minor: 34 });
      return renderNode(c.snapshot, c.config).families.reduce((n, f) => n + f.payload.split('\n').length, 0);
    };
    const small = lines(50);
    const large = lines(100);
    assert.ok(large <= 2.2 * small, `${small} -> ${large}`);
  });
});
