// The kernel is the judge of both text forms. For the demo (every era), kube-proxy's own test
// scenarios and seeded random clusters, in a fresh network namespace and on both iptables
// backends: the nfacct counters kube-proxy 1.31+ creates are made first (its rules count into
// them: `-m nfacct`, on by default in the newest profiles), then the node baseline and
// kube-proxy's payload go through the real iptables-restore (--noflush, as kube-proxy runs it),
// and
//   - what iptables-save prints must equal svctrace's save form, table by table;
//   - every rule of the restore form must come back exactly as svctrace's save form prints it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadSnapshot } from '../../src/cluster/source.js';
import type { Snapshot } from '../../src/cluster/types.js';
import { canonicalRule, parseRuleset } from '../../src/netfilter/index.js';
import { buildProxyConfig, type ProxyConfig } from '../../src/proxy/config.js';
import { nodeBaseline } from '../../src/proxy/node-baseline.js';
import { saveText, saveTextLines } from '../../src/proxy/node-rules.js';
import { renderNode } from '../../src/proxy/render.js';
import { BACKENDS, KUBE_PROXY_PREREQS, assertSameDumps, createKubeProxyCounters, restore, save, withNetns, type Backend } from '../helpers/kernel.js';
import { needs } from '../helpers/prereq.js';
import { fakeProxierConfig, loadScenario, snapshotOf } from './support/fake-proxier.js';
import { randomCluster } from './support/random-cluster.js';

interface KernelCase {
  name: string;
  snapshot: () => Promise<Snapshot> | Snapshot;
  config: (snapshot: Snapshot) => ProxyConfig;
}

const demoSnapshot = () =>
  loadSnapshot(
    { filenames: [], demo: true, allNamespaces: true, requestTimeoutMs: 1000, verbose: 0, env: {}, readStdin: async () => '', warn: () => {} },
    ['Service', 'EndpointSlice', 'Endpoints', 'Pod', 'Node'],
  );

const cases: KernelCase[] = [];
for (const minor of [16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 34]) {
  cases.push({
    name: `demo cluster, kube-proxy 1.${minor}`,
    snapshot: demoSnapshot,
    config: (snapshot) => buildProxyConfig({ flags: { proxyVersion: `1.${minor}` }, snapshot }),
  });
}
for (const file of [
  'overall-1.33.yaml', 'bad-ips-1.33.yaml', 'sync-repeated-initial-1.33.yaml', 'overall-multiple-services-1.28.yaml',
  'localhost-nodeports-enable-ipv6-1.28.yaml', 'only-local-nodeports-1.28.yaml',
]) {
  const f = loadScenario(file);
  cases.push({
    name: `${f.test} (kube-proxy ${f.profile})`,
    snapshot: () => snapshotOf(f.objects),
    config: () => fakeProxierConfig({ era: f.era, version: f.profile, ...(f.fakeProxier ?? {}) }),
  });
}
for (let seed = 1; seed <= 40; seed++) {
  const c = randomCluster(seed);
  cases.push({ name: `random cluster seed ${seed} (kube-proxy ${c.config.profile.version})`, snapshot: () => c.snapshot, config: () => c.config });
}

/** Rule lines per "table/chain" of a save text. */
function rulesByChain(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const l of saveTextLines(text)) {
    if (l.kind !== 'rule') continue;
    const key = `${l.table}/${l.chain}`;
    out.set(key, [...(out.get(key) ?? []), l.text]);
  }
  return out;
}

function checkInKernel(backend: Backend, c: KernelCase) {
  return async (t: import('node:test').TestContext) => {
    if (!needs(t, ...KUBE_PROXY_PREREQS)) return;
    const snapshot = await c.snapshot();
    const config = c.config(snapshot);
    const render = renderNode(snapshot, config);
    for (const fam of render.families) {
      const family = fam.family === 4 ? 'ipv4' : 'ipv6';
      await withNetns((ns) => {
        createKubeProxyCounters(ns);
        const base = restore(ns, { backend, family, text: nodeBaseline(config.profile.switches, fam.family).restore, noflush: true });
        assert.equal(base.status, 0, `baseline refused: ${base.stderr}`);
        const r = restore(ns, { backend, family, text: fam.payload, noflush: true, wait: true });
        assert.equal(r.status, 0, `IPv${fam.family} payload refused: ${r.stderr}\n${fam.payload}`);
        const kernel = save(ns, { backend, family });
        // iptables 1.8.9 (both backends) sorts user chains by name, whatever the profile's era.
        const ours = saveText(fam, config.profile.switches, 'name');
        assertSameDumps(kernel, ours, `IPv${fam.family} iptables-save vs svctrace's save form`);

        const kernelRules = rulesByChain([...kernel.values()].join(''));
        const payload = parseRuleset(fam.payload, { family, source: 'payload' });
        for (const table of payload.tables) {
          for (const chain of table.chains) {
            if (chain.builtin) continue;
            const mine = chain.rules.map((rule) => canonicalRule(rule));
            assert.deepEqual(mine, kernelRules.get(`${table.name}/${chain.name}`) ?? [], `IPv${fam.family} ${table.name}/${chain.name}: restore lines in save form`);
          }
        }
      });
    }
  };
}

describe('rendered rules in the real iptables-restore / iptables-save', () => {
  for (const backend of BACKENDS) {
    describe(`${backend} backend`, () => {
      for (const c of cases) it(`${c.name}: loads, and saves back as svctrace prints it`, checkInKernel(backend, c));
    });
  }
});
