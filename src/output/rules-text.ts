// How `rules` presents its lines: plain text (annotated with the service port and endpoint of
// each chain on a terminal), the same as JSON data, and the findings of --diff.
import type { ProxyConfig } from '../proxy/config.js';
import type { RulesDiff } from '../proxy/diff.js';
import type { RuleOwner } from '../proxy/line-writer.js';
import { notesFromRender, ruleLineNote, type ChainNote } from '../proxy/annotate.js';
import { linesText, type FamilyRules, type RulesForm, type RulesLine } from '../proxy/node-rules.js';
import type { RenderResult } from '../proxy/render.js';
import type { RulesScope } from '../proxy/rules-scope.js';
import type { ServicePortSummary } from '../proxy/summary.js';
import { warningLine } from '../proxy/warnings.js';
import type { Palette } from './color.js';

export interface ShownRules {
  rules: FamilyRules;
  lines: RulesLine[];
}

/** "# ..." lines before each owned chain's run of lines, naming the service port and endpoint. */
function annotate(lines: readonly RulesLine[], notes: ReadonlyMap<string, ChainNote>, colors: Palette): string {
  let out = '';
  let last = '';
  for (const l of lines) {
    if (l.kind === 'rule' && l.owner && l.chain !== undefined) {
      const key = `${l.table}/${l.chain}/${l.owner.servicePort}`;
      if (key !== last) out += colors.dim(`# ${ruleLineNote(notes, l.chain, l.owner)}`) + '\n';
      last = key;
    } else if (l.kind !== 'rule') {
      last = '';
    }
    out += l.text + '\n';
  }
  return out;
}

const FAMILY_HEADER: Record<RulesForm, Record<4 | 6, string>> = {
  save: { 4: '# IPv4: iptables-save', 6: '# IPv6: ip6tables-save' },
  restore: { 4: '# IPv4: iptables-restore input', 6: '# IPv6: ip6tables-restore input' },
};

/** The lines as text; with two families each gets a header line; `annotated` adds chain notes. */
export function rulesText(shown: readonly ShownRules[], summaries: readonly ServicePortSummary[], annotated: boolean, colors: Palette): string {
  const nonEmpty = shown.filter((s) => s.lines.length > 0);
  return nonEmpty
    .map((s) => {
      const body = annotated ? annotate(s.lines, notesFromRender(summaries, s.rules.family), colors) : linesText(s.lines);
      return nonEmpty.length > 1 ? `${FAMILY_HEADER[s.rules.form][s.rules.family]}\n${body}` : body;
    })
    .join('');
}

/** -o json's document: the same lines as data, grouped by family, table and chain, each with its owner. */
export function rulesDocument(config: ProxyConfig, scope: RulesScope, form: RulesForm, shown: readonly ShownRules[], render: RenderResult, summaries: readonly ServicePortSummary[]): object {
  const ownerFields = (o: RuleOwner | undefined) => (o ? { servicePort: o.servicePort, ...(o.endpoint ? { endpoint: o.endpoint } : {}) } : {});
  const families = shown
    .filter((s) => s.lines.length > 0)
    .map((s) => {
      type ChainDoc = { name: string; builtin: boolean; meta: Record<string, unknown>; rules: unknown[] };
      // Chains by name, in first-seen order (a Map: a table holds one chain per endpoint).
      const tables: { name: string; chains: Map<string, ChainDoc> }[] = [];
      for (const l of s.lines) {
        if (l.kind === 'table') tables.push({ name: l.table, chains: new Map() });
        const table = tables[tables.length - 1];
        if (!table || !l.chain) continue;
        let chain = table.chains.get(l.chain);
        if (!chain) {
          chain = { name: l.chain, builtin: Boolean(l.builtin), meta: {}, rules: [] };
          table.chains.set(l.chain, chain);
        }
        if (l.kind === 'chain') {
          chain.meta = { declaration: l.text, ...(l.role ? { role: l.role } : {}), ...ownerFields(l.owner) };
        } else {
          chain.rules.push({ rule: l.text, ...ownerFields(l.owner) });
        }
      }
      return { family: `IPv${s.rules.family}`, tables: tables.map((t) => ({ name: t.name, chains: [...t.chains.values()].map((c) => ({ name: c.name, builtin: c.builtin, ...c.meta, rules: c.rules })) })) };
    });
  const doc = {
    node: config.nodeName,
    nodeIPs: config.nodeIPs,
    proxyVersion: config.profile.version,
    format: form,
    scope: scope.kind === 'service' ? { namespace: scope.namespace, service: scope.name } : scope.kind === 'namespace' ? { namespace: scope.namespace } : { allNamespaces: true },
    families,
    servicePorts: summaries,
    skipped: render.skipped,
    warnings: render.warnings.map(warningLine),
  };
  return doc;
}

/** --diff as text: each kind of finding with its lines, or a one-line all-clear. */
export function diffText(diff: RulesDiff, config: ProxyConfig): string {
  const sections: [string, string[], string][] = [
    ['missing', diff.missing, 'expected, not on the node'],
    ['extra', diff.extra, 'on the node, not expected'],
    ['stale', diff.stale, 'chains left over from a removed service or endpoint'],
  ];
  const found = sections.filter(([, list]) => list.length > 0);
  if (found.length === 0) return `no differences: the node's kube-proxy rules match the model (kube-proxy ${config.profile.version}, node ${config.nodeName})\n`;
  return found.map(([name, list, what]) => `${name} (${list.length}): ${what}\n${list.map((l) => `  ${l}\n`).join('')}`).join('');
}

/** --diff -o json's document. */
export function diffDocument(diff: RulesDiff, config: ProxyConfig, family: 4 | 6): object {
  return { node: config.nodeName, proxyVersion: config.profile.version, family: `IPv${family}`, ...diff };
}
