// Which rule lines `rules` shows: one service (its chains and its lines in shared chains), a
// namespace, or everything; for generated rules, for a real node's dump (--iptables-save), and
// for a diff against a dump (--diff). Pure: lines in, lines out.
import type { Service } from '../cluster/types.js';
import type { ProxyConfig } from './config.js';
import { diffForService, diffRules, type RulesDiff } from './diff.js';
import { chainNamePattern } from './names.js';
import { keepInTables, ownedBy, payloadChains, saveLines, selectLines, type FamilyRules, type RulesLine } from './node-rules.js';
import type { RenderResult } from './render.js';

export type RulesScope =
  | { kind: 'service'; namespace: string; name: string; service: Service }
  | { kind: 'namespace'; namespace: string }
  | { kind: 'all' };

/** The services the renderer should render for the scope. */
export function includeFor(scope: RulesScope): (s: Service) => boolean {
  if (scope.kind === 'service') return (s) => s === scope.service;
  if (scope.kind === 'namespace') return (s) => (s.metadata?.namespace ?? '') === scope.namespace;
  return () => true;
}

/** The lines shown for the scope: a service's own lines, or every line of the render. */
export function scopedLines(scope: RulesScope, rules: FamilyRules): RulesLine[] {
  return scope.kind === 'service' ? selectLines(rules.lines, ownedBy(scope.namespace, scope.name)) : rules.lines;
}

const PER_SERVICE_TARGET = new RegExp(`-j (${chainNamePattern()})\\b`, 'g');
const PER_SERVICE_CHAIN = new RegExp(chainNamePattern(), 'g');
const ENDPOINT_TARGET = new RegExp(`-j (${chainNamePattern(['SEP'])})`, 'g');

/**
 * The per-service chains of the services in scope: those the model names, those the dump's
 * lines carrying their comment jump to, and everything those chains jump to in turn (so a node
 * running another kube-proxy version, or with endpoints the model does not know, still shows all).
 */
function scopeChains(scope: RulesScope, render: RenderResult, config: ProxyConfig, dump: readonly RulesLine[], commented: (text: string) => boolean): Set<string> {
  const wanted = scope.kind === 'service' ? ownedBy(scope.namespace, scope.name) : scope.kind === 'namespace' ? ownedBy(scope.namespace) : () => true;
  const chains = new Set<string>();
  for (const f of render.families) for (const l of saveLines(f, config.profile.switches)) if (l.kind === 'chain' && l.owner && wanted(l.owner)) chains.add(l.chain!);
  const targets = (text: string) => [...text.matchAll(PER_SERVICE_TARGET)].map((m) => m[1]!);
  for (const l of dump) if (l.kind === 'rule' && commented(l.text)) for (const t of targets(l.text)) chains.add(t);
  for (let grew = true; grew; ) {
    grew = false;
    for (const l of dump) {
      if (l.kind !== 'rule' || !l.chain || !chains.has(l.chain)) continue;
      for (const t of targets(l.text)) if (!chains.has(t)) chains.add(t), (grew = true);
    }
  }
  return chains;
}

/** A real node's own lines (save form) for the scope: the tables that keep any line. */
export function dumpLinesFor(scope: RulesScope, dump: readonly RulesLine[], render: RenderResult, config: ProxyConfig): RulesLine[] {
  if (scope.kind === 'all') return [...dump];
  // A comment names the service port: "ns/name:port ...", "ns/name ..." (unnamed, 1.19+) or "ns/name:" (unnamed, <= 1.18).
  const prefix = scope.kind === 'service' ? `${scope.namespace}/${scope.name}` : `${scope.namespace}/`;
  const commented = (text: string) =>
    [...text.matchAll(/--comment (?:"([^"]*)"|(\S+))/g)].some((m) => {
      const c = m[1] ?? m[2] ?? '';
      return scope.kind === 'namespace' ? c.startsWith(prefix) : c === prefix || c.startsWith(`${prefix}:`) || c.startsWith(`${prefix} `);
    });
  const chains = scopeChains(scope, render, config, dump, commented);
  const mentions = (text: string) => commented(text) || [...text.matchAll(PER_SERVICE_CHAIN)].some((m) => chains.has(m[0]));
  return keepInTables(dump, (l) => (l.chain !== undefined && chains.has(l.chain)) || (l.kind === 'rule' && mentions(l.text)));
}

/** The expected rules of one family against a node's dump (save form), narrowed to the scope's service. */
export function diffNode(scope: RulesScope, family: 4 | 6, dump: readonly RulesLine[], render: RenderResult, config: ProxyConfig): RulesDiff {
  const fam = render.families.find((f) => f.family === family);
  const expected = fam ? saveLines(fam, config.profile.switches) : [];
  const diff = diffRules(expected, fam ? payloadChains(fam) : new Map(), dump);
  if (scope.kind !== 'service') return diff;
  const owned = ownedBy(scope.namespace, scope.name);
  const chains = new Set(expected.filter((l) => l.kind === 'chain' && l.owner && owned(l.owner) && l.chain?.startsWith('KUBE-')).map((l) => l.chain!));
  // The dump's own SEP chains reached from the service's chains belong to it too (stale endpoints).
  for (const l of dump) if (l.kind === 'rule' && l.chain && chains.has(l.chain)) for (const m of l.text.matchAll(ENDPOINT_TARGET)) chains.add(m[1]!);
  return diffForService(diff, chains, `${scope.namespace}/${scope.name}:`);
}
