// The kernel as an oracle: throw-away network namespaces, the real iptables-restore and
// iptables-save (nft and legacy backends, IPv4 and IPv6), dumps split per table.
//
//   if (!needs(t, ...KERNEL_PREREQS)) return;
//   await withNetns((ns) => {
//     const r = restore(ns, { backend: 'nft', family: 'ipv4', text, noflush: true });
//     assert.equal(r.status, 0, r.stderr);
//     assertSameDumps(save(ns, { backend: 'nft', family: 'ipv4' }), expectedText);
//   });
//
// Namespaces are named svctrace-<pid>-<n> and deleted afterwards, also when the callback throws
// (and, as a last resort, when the process exits). removeStaleNetns() clears the ones a crashed
// run left behind; spawnIn() starts a long-running process inside a namespace;
// createKubeProxyCounters() makes the nfacct objects kube-proxy's rules count into.
import assert from 'node:assert/strict';
import { type ChildProcess, type SpawnOptions, type SpawnSyncReturns, spawn, spawnSync } from 'node:child_process';
import type { Prerequisite } from './prereq.js';

export type Backend = 'nft' | 'legacy';
export type IpFamily = 'ipv4' | 'ipv6';

export const BACKENDS: readonly Backend[] = ['nft', 'legacy'];
export const FAMILIES: readonly IpFamily[] = ['ipv4', 'ipv6'];

/** What kernel tests need: pass to needs(t, ...KERNEL_PREREQS). */
export const KERNEL_PREREQS: Prerequisite[] = ['root', 'netns', 'iptables', 'iptables-legacy'];

/** What kernel tests that load kube-proxy's rules need: the nfacct tool for its counters too. */
export const KUBE_PROXY_PREREQS: Prerequisite[] = [...KERNEL_PREREQS, 'nfacct'];

export interface Netns {
  readonly name: string;
}

export interface CommandResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The prefix of the namespaces this process creates. */
export const NETNS_PREFIX = `svctrace-${process.pid}-`;

let counter = 0;
const alive = new Set<string>();

process.on('exit', () => {
  for (const name of alive) spawnSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
});

function result(r: SpawnSyncReturns<string>): CommandResult {
  // EPIPE: the command exited (on an error) before reading all its input; its status tells
  if (r.error && !((r.error as NodeJS.ErrnoException).code === 'EPIPE' && r.status !== null)) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** Creates a uniquely named network namespace; pair with deleteNetns (withNetns does both). */
export function createNetns(): Netns {
  const name = `${NETNS_PREFIX}${++counter}`;
  const r = result(spawnSync('ip', ['netns', 'add', name], { encoding: 'utf8' }));
  if (r.status !== 0) throw new Error(`ip netns add ${name} failed: ${r.stderr.trim()}`);
  alive.add(name);
  return { name };
}

export function deleteNetns(ns: Netns): void {
  spawnSync('ip', ['netns', 'del', ns.name], { stdio: 'ignore' });
  alive.delete(ns.name);
}

/**
 * Deletes svctrace-<pid>-<n> namespaces whose process is gone (left by a crashed run); those of
 * live processes (test files running in parallel) are left alone. Returns the names deleted.
 */
export function removeStaleNetns(): string[] {
  const list = result(spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }));
  const removed: string[] = [];
  for (const line of list.stdout.split('\n')) {
    const m = /^(svctrace-(\d+)-\d+)\b/.exec(line);
    if (!m || processAlive(Number(m[2]))) continue;
    spawnSync('ip', ['netns', 'del', m[1]!], { stdio: 'ignore' });
    removed.push(m[1]!);
  }
  return removed;
}

/** Names of the svctrace-* namespaces that exist now. */
export function listSvctraceNetns(): string[] {
  const list = result(spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }));
  return list.stdout.split('\n').map((l) => l.split(' ')[0] ?? '').filter((n) => n.startsWith('svctrace-'));
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Runs fn with a fresh namespace and always deletes it. */
export async function withNetns<T>(fn: (ns: Netns) => T | Promise<T>): Promise<T> {
  const ns = createNetns();
  try {
    return await fn(ns);
  } finally {
    deleteNetns(ns);
  }
}

/** Runs a command inside the namespace (`ip netns exec`), with optional stdin. */
export function execIn(ns: Netns, command: string, args: readonly string[] = [], input?: string): CommandResult {
  return result(spawnSync('ip', ['netns', 'exec', ns.name, command, ...args], { input, encoding: 'utf8', maxBuffer: 64 << 20 }));
}

/** Starts a long-running command inside the namespace (`ip netns exec`); the caller ends it. */
export function spawnIn(ns: Netns, command: string, args: readonly string[] = [], options: SpawnOptions = {}): ChildProcess {
  return spawn('ip', ['netns', 'exec', ns.name, command, ...args], { stdio: ['pipe', 'pipe', 'pipe'], ...options });
}

function tool(backend: Backend, family: IpFamily, what: 'restore' | 'save'): string {
  return `${family === 'ipv4' ? 'iptables' : 'ip6tables'}-${backend}-${what}`;
}

export interface RestoreOptions {
  readonly backend: Backend;
  readonly family: IpFamily;
  readonly text: string;
  readonly noflush?: boolean;
  readonly counters?: boolean;
  /**
   * -w: wait for the xtables lock (default true). The legacy backend locks /run/xtables.lock,
   * which all namespaces share, so parallel test files would otherwise fail at random.
   */
  readonly wait?: boolean;
}

/** `ip[6]tables-{nft,legacy}-restore [--noflush] [--counters] [-w]` with text on stdin. */
export function restore(ns: Netns, opts: RestoreOptions): CommandResult {
  const args = [...(opts.noflush ? ['--noflush'] : []), ...(opts.counters ? ['--counters'] : []), ...(opts.wait === false ? [] : ['-w'])];
  return execIn(ns, tool(opts.backend, opts.family, 'restore'), args, opts.text);
}

export interface SaveOptions {
  readonly backend: Backend;
  readonly family: IpFamily;
  /** `-c`: rule counters */
  readonly counters?: boolean;
  readonly table?: string;
}

/** `ip[6]tables-{nft,legacy}-save [-c] [-t table]`, split per table, `#` lines removed. */
export function save(ns: Netns, opts: SaveOptions): Map<string, string> {
  const args = [...(opts.counters ? ['-c'] : []), ...(opts.table ? ['-t', opts.table] : [])];
  const r = execIn(ns, tool(opts.backend, opts.family, 'save'), args);
  if (r.status !== 0) throw new Error(`${tool(opts.backend, opts.family, 'save')} failed: ${r.stderr.trim()}`);
  return splitTables(r.stdout);
}

/** A dump as `*table ... COMMIT` texts by table name, without the `#` comment lines. */
export function splitTables(dump: string): Map<string, string> {
  const tables = new Map<string, string>();
  let name: string | undefined;
  let lines: string[] = [];
  for (const line of dump.split('\n')) {
    if (line.startsWith('#') || line === '') continue;
    if (line.startsWith('*')) {
      name = line.slice(1);
      lines = [line];
      continue;
    }
    lines.push(line);
    if (line === 'COMMIT' && name !== undefined) {
      tables.set(name, `${lines.join('\n')}\n`);
      name = undefined;
    }
  }
  return tables;
}

// Written out here rather than taken from src/netfilter (BUILTIN_CHAINS), like the counters below:
// the oracle does not lean on the code it judges.
const DEFAULT_CHAINS: Record<string, string[]> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  raw: ['PREROUTING', 'OUTPUT'],
  security: ['INPUT', 'FORWARD', 'OUTPUT'],
};

/** A table as a fresh namespace prints it: nft does not print tables that were never filled. */
function defaultTable(name: string): string {
  return [`*${name}`, ...(DEFAULT_CHAINS[name] ?? []).map((c) => `:${c} ACCEPT [0:0]`), 'COMMIT', ''].join('\n');
}

/**
 * Differences between two dumps, table by table (table order ignored: legacy prints tables in
 * reverse creation order). A table only one side shows must be an untouched default table.
 * Each difference names the table and the first differing lines.
 */
export function dumpDifferences(actual: Map<string, string> | string, expected: Map<string, string> | string): string[] {
  const a = typeof actual === 'string' ? splitTables(actual) : actual;
  const e = typeof expected === 'string' ? splitTables(expected) : expected;
  const diffs: string[] = [];
  for (const name of new Set([...a.keys(), ...e.keys()])) {
    const left = a.get(name) ?? defaultTable(name);
    const right = e.get(name) ?? defaultTable(name);
    if (left === right) continue;
    const l = left.split('\n');
    const r = right.split('\n');
    const lines: string[] = [];
    for (let i = 0; i < Math.max(l.length, r.length) && lines.length < 12; i++) {
      if (l[i] !== r[i]) lines.push(`  line ${i + 1}:\n    kernel:   ${l[i] ?? '(none)'}\n    expected: ${r[i] ?? '(none)'}`);
    }
    diffs.push(`table ${name}:\n${lines.join('\n')}`);
  }
  return diffs;
}

/** Fails with the differing lines when two dumps differ (see dumpDifferences). */
export function assertSameDumps(actual: Map<string, string> | string, expected: Map<string, string> | string, what = 'dumps'): void {
  const diffs = dumpDifferences(actual, expected);
  assert.ok(diffs.length === 0, `${what} differ:\n${diffs.join('\n')}`);
}

/** True when the `ipset` tool is there (rules with -m set need their sets to exist). */
export function hasIpset(): boolean {
  return spawnSync('ipset', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * The nfacct accounting objects kube-proxy 1.31+ creates at start (its pkg/proxy/metrics
 * counters, as its unit tests' expected rules name them) and its rules then count into
 * (`-m nfacct --nfacct-name NAME`). The kernel refuses such a rule when the object does not exist
 * in the namespace. Named here, not taken from src/proxy, so that a name svctrace gets wrong is
 * a rule the kernel refuses.
 */
export const KUBE_PROXY_COUNTERS = ['ct_state_invalid_dropped_pkts', 'localhost_nps_accepted_pkts'] as const;

/** `nfacct add` each of kube-proxy's counters in the namespace (needs the 'nfacct' prerequisite). */
export function createKubeProxyCounters(ns: Netns): void {
  for (const name of KUBE_PROXY_COUNTERS) {
    const r = execIn(ns, 'nfacct', ['add', name]);
    if (r.status !== 0) throw new Error(`nfacct add ${name} in ${ns.name} failed: ${r.stderr.trim()}`);
  }
}
