// `npm run bench`: how fast svctrace is, and whether it still scales linearly. Each stage is
// measured on synthetic clusters of growing size (bench/synthetic-cluster.ts); start-up is
// measured by spawning the built CLI. Budgets live in bench/budgets.json; a budget exceeded
// makes the run exit 1. Speed is judged here, never in the tests.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../src/cli/main.js';
import { loadFiles } from '../src/cluster/files.js';
import type { Snapshot } from '../src/cluster/types.js';
import { parseRuleset, printSave } from '../src/netfilter/index.js';
import { tracePacket } from '../src/netfilter/trace.js';
import { rulesDocument } from '../src/output/rules-text.js';
import { buildProxyConfig, type ProxyConfig } from '../src/proxy/config.js';
import { familyRules, nodeRuleset } from '../src/proxy/node-rules.js';
import { renderNode, type RenderResult } from '../src/proxy/render.js';
import { servicePortSummaries } from '../src/proxy/summary.js';
import { sourceRequest } from '../test/helpers/source-request.js';
import { syntheticCluster, type ClusterSize } from './synthetic-cluster.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const budgets = JSON.parse(readFileSync(join(root, 'bench/budgets.json'), 'utf8')) as {
  startupMedianMs: Record<string, number>;
  maxScalingRatio: number;
  manyEndpointsMedianMs: Record<string, number>;
};

interface Result {
  name: string;
  size: string;
  medianMs: number;
  perUnitUs?: number;
}
const results: Result[] = [];
const failures: string[] = [];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Median wall time of `runs` calls (after one warm-up). */
function measure(fn: () => unknown, runs: number): number {
  fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(times);
}

function lastServicePacket(snapshot: Snapshot) {
  const last = snapshot.services[snapshot.services.length - 1]!;
  return { family: 'ipv4' as const, source: '10.128.200.1', destination: last.spec!.clusterIP!, protocol: 'tcp' as const, destinationPort: 80 };
}

const MANY_ENDPOINTS = [250, 500, 1000, 2000];

/** What `rules -A -o json` prints, from a render (src/cli/rules.ts without the I/O). */
function rulesJSONDocument(render: RenderResult, config: ProxyConfig): object {
  const shown = render.families.map((f) => {
    const rules = familyRules(f, config.profile.switches, 'save');
    return { rules, lines: rules.lines };
  });
  return rulesDocument(config, { kind: 'all' }, 'save', shown, render, servicePortSummaries(render));
}

const SIZES: ClusterSize[] = [
  { services: 500, endpointsPerService: 5 },
  { services: 2000, endpointsPerService: 5 },
  { services: 8000, endpointsPerService: 5 },
];

function stageBenchmarks(): void {
  const perEndpoint = new Map<string, number[]>();
  for (const size of SIZES) {
    const snapshot = syntheticCluster(size);
    const endpoints = size.services * size.endpointsPerService;
    const label = `${size.services} svc x ${size.endpointsPerService} ep`;
    const runs = size.services > 4000 ? 3 : 5;
    const config = buildProxyConfig({ flags: {}, snapshot });
    const render = renderNode(snapshot, config);
    const family = render.families[0]!;
    const ruleset = nodeRuleset(family, config.profile.switches);
    const saveText = printSave(ruleset);
    const podsOnly: Snapshot = { ...snapshot, endpointSlices: [] };
    const stages: Array<[string, () => unknown]> = [
      ['render (restore payload)', () => renderNode(snapshot, config)],
      ['save form (baseline + payload)', () => printSave(nodeRuleset(family, config.profile.switches))],
      ['parse an iptables-save dump', () => parseRuleset(saveText)],
      // Slices derived from Pods, as from a `kubectl get svc,pods -o yaml` dump.
      ['render, EndpointSlices derived from Pods', () => renderNode(podsOnly, config)],
      ['rules -A -o json document', () => JSON.stringify(rulesJSONDocument(render, config))],
      // The last service's cluster IP: the walk passes every KUBE-SERVICES rule before it.
      ['trace a packet to the last service', () => tracePacket(ruleset, lastServicePacket(snapshot), { localAddresses: config.nodeIPs })],
    ];
    for (const [name, fn] of stages) {
      const ms = measure(fn, runs);
      const us = (ms * 1000) / endpoints;
      results.push({ name, size: label, medianMs: ms, perUnitUs: us });
      perEndpoint.set(name, [...(perEndpoint.get(name) ?? []), us]);
    }
  }
  // Linear cost means a flat cost per endpoint; a quadratic path shows as a growing one.
  for (const [name, list] of perEndpoint) {
    const ratio = list[list.length - 1]! / list[0]!;
    if (ratio > budgets.maxScalingRatio) failures.push(`${name}: cost per endpoint grew ${ratio.toFixed(1)}x from the smallest to the largest cluster (budget ${budgets.maxScalingRatio}x)`);
  }
}

/**
 * A service with many endpoints: kube-proxy's balancing chain has a statistic rule per endpoint,
 * so the path to endpoint i is the product of i + 1 branches of 31 bits each, exactly. The paths
 * share the steps they fell through (trace-trail.ts), but their exact odds grow as N^2 (path i's
 * have ~31 (i + 1) bits, ~9.3 (i + 1) digits as text), so this is judged by a time budget at 1000
 * endpoints, not by a flat cost per endpoint.
 */
function manyEndpointsBenchmarks(): void {
  for (const endpoints of MANY_ENDPOINTS) {
    const snapshot = syntheticCluster({ services: 100, endpointsPerService: 5, lastServiceEndpoints: endpoints });
    const config = buildProxyConfig({ flags: {}, snapshot });
    const ruleset = nodeRuleset(renderNode(snapshot, config).families[0]!, config.profile.switches);
    const packet = lastServicePacket(snapshot);
    const node = { localAddresses: config.nodeIPs };
    const runs = endpoints > 1000 ? 3 : 5;
    const stages: Array<[key: string, name: string, fn: () => unknown]> = [
      ['trace', 'trace to a service with many endpoints', () => tracePacket(ruleset, packet, node)],
      // -o json also prints every path's exact odds, "n/d": path i's numbers have ~9.3 (i + 1) digits
      ['odds', 'the same, with every path\'s exact odds text', () => tracePacket(ruleset, packet, node).paths.map((p) => p.odds)],
    ];
    for (const [key, name, fn] of stages) {
      const ms = measure(fn, runs);
      results.push({ name, size: `1 of 100 svc, ${endpoints} ep`, medianMs: ms, perUnitUs: (ms * 1000) / endpoints });
      const budget = budgets.manyEndpointsMedianMs[`${key} ${endpoints}`];
      if (budget !== undefined && ms > budget) failures.push(`${name}, ${endpoints} endpoints: median ${ms.toFixed(0)} ms, budget ${budget} ms`);
    }
  }
}

/** Writes the snapshot as one `kubectl get -o json` List, in a new temporary directory. */
function dumpFile(snapshot: Snapshot): { dir: string; file: string } {
  const items = [...snapshot.nodes, ...snapshot.services, ...snapshot.endpointSlices, ...snapshot.pods];
  const dir = mkdtempSync(join(tmpdir(), 'svctrace-bench-'));
  const file = join(dir, 'dump.json');
  writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
  return { dir, file };
}

/**
 * `trace -o json` end to end, in process: load the dump, render the node's rules, trace, write
 * the document. A run of more than 8 not-taken rules is one step, so the steps grow linearly with
 * the endpoints; the exact odds texts do not (~9.3 i digits for path i: 226 of the 253 MB at 5000
 * endpoints, and writing those numbers in decimal is most of the time). Judged by a time budget.
 */
async function traceJsonBenchmark(): Promise<void> {
  for (const endpoints of [1000, 5000]) {
    const snapshot = syntheticCluster({ services: 100, endpointsPerService: 5, lastServiceEndpoints: endpoints });
    const last = snapshot.services[snapshot.services.length - 1]!;
    const { dir, file } = dumpFile(snapshot);
    try {
      const args = ['node', 'svctrace', '-f', file, 'trace', '--to', `svc/${last.metadata!.name}`, '-n', last.metadata!.namespace!, '--from', '10.128.200.1', '-o', 'json'];
      const name = `trace -o json to a service with ${endpoints} endpoints`;
      const times: number[] = [];
      let bytes = 0;
      // no warm-up run: one takes seconds, and what a warm-up would save is noise beside that
      for (let i = 0; i < 3; i++) {
        const t0 = process.hrtime.bigint();
        const r = await runCli(args, { env: { KUBECONFIG: '/nonexistent/kubeconfig', HOME: '/nonexistent' }, isTTY: false });
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (r.exitCode !== 0) {
          failures.push(`${name}: exit ${r.exitCode}: ${r.stderr.trim()}`);
          return;
        }
        bytes = r.stdout.length;
      }
      const ms = median(times);
      results.push({ name, size: `1 of 100 svc, ${(bytes / 1e6).toFixed(0)} MB`, medianMs: ms, perUnitUs: (ms * 1000) / endpoints });
      const budget = budgets.manyEndpointsMedianMs[`json ${endpoints}`];
      if (budget !== undefined && ms > budget) failures.push(`${name}: median ${ms.toFixed(0)} ms, budget ${budget} ms`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** Loading a `kubectl get -o json`-sized dump through the file source. */
async function fileSourceBenchmark(): Promise<void> {
  const snapshot = syntheticCluster({ services: 2000, endpointsPerService: 5 });
  const items = [...snapshot.nodes, ...snapshot.services, ...snapshot.endpointSlices, ...snapshot.pods];
  const { dir, file } = dumpFile(snapshot);
  try {
    const load = (): Promise<Snapshot> =>
      loadFiles(sourceRequest({ filenames: [file], allNamespaces: true }));
    await load();
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = process.hrtime.bigint();
      await load();
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    results.push({ name: 'load -f dump (JSON List)', size: `${items.length} objects`, medianMs: median(times) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Whole-process start-up of the built CLI. */
function startupBenchmarks(): void {
  const bin = join(root, 'bin/svctrace.js');
  if (!existsSync(join(root, 'dist/cli/main.js'))) {
    failures.push('start-up not measured: run `npm run build` first');
    return;
  }
  for (const [label, budget] of Object.entries(budgets.startupMedianMs)) {
    const args = label.split(' ');
    const times: number[] = [];
    for (let i = 0; i < 11; i++) {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (r.status !== 0) failures.push(`svctrace ${label} exited ${r.status}: ${r.stderr.trim()}`);
    }
    const ms = median(times);
    results.push({ name: `start-up: svctrace ${label}`, size: 'process', medianMs: ms });
    if (ms > budget) failures.push(`svctrace ${label}: median ${ms.toFixed(0)} ms, budget ${budget} ms`);
  }
}

stageBenchmarks();
manyEndpointsBenchmarks();
await traceJsonBenchmark();
await fileSourceBenchmark();
startupBenchmarks();

const rows = [['BENCHMARK', 'SIZE', 'MEDIAN ms', 'us / endpoint'], ...results.map((r) => [r.name, r.size, r.medianMs.toFixed(1), r.perUnitUs === undefined ? '' : r.perUnitUs.toFixed(2)])];
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('   ').trimEnd());
if (failures.length > 0) {
  console.log('\nover budget:');
  for (const f of failures) console.log(`  ${f}`);
  process.exitCode = 1;
}
