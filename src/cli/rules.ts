// `svctrace rules [SERVICE]`: the iptables rules kube-proxy (iptables mode) writes on one node,
// for one service (its chains and its lines in shared chains), a namespace (-n: a complete,
// loadable table set for that namespace's services), or everything (-A); the default
// namespace when neither is given, as kubectl does. Two text forms (--format restore|save),
// -o json, annotations on a terminal, and --diff against a node's iptables-save dump.
import { EXIT, NotFoundError, UsageError } from '../errors.js';
import { readDumpFile } from '../cluster/iptables-save-file.js';
import type { Service, Snapshot } from '../cluster/types.js';
import { parseRuleset, printSave } from '../netfilter/index.js';
import { palette, type Palette } from '../output/color.js';
import type { ProxyConfig } from '../proxy/config.js';
import { diffForService, diffRules, type RulesDiff } from '../proxy/diff.js';
import type { RuleOwner } from '../proxy/line-writer.js';
import { notesFromRender, ruleLineNote, type ChainNote } from '../proxy/annotate.js';
import { familyRules, linesText, ownedBy, payloadChains, saveLines, saveTextLines, selectLines, type FamilyRules, type RulesForm, type RulesLine } from '../proxy/node-rules.js';
import { renderNode, type RenderResult } from '../proxy/render.js';
import { serviceKey } from '../proxy/service-ports.js';
import { servicePortSummaries, type ServicePortSummary } from '../proxy/summary.js';
import { warningLine } from '../proxy/warnings.js';
import type { CommandContext, CommandResult } from './context.js';
import { proxyModelFor } from './proxy-model.js';
import { notesText } from './shared.js';

type Scope = { kind: 'service'; namespace: string; name: string; service: Service } | { kind: 'namespace'; namespace: string } | { kind: 'all' };

function formOf(ctx: CommandContext): RulesForm {
  const format = (ctx.opts.format as string | undefined) ?? 'save';
  if (format !== 'save' && format !== 'restore') throw new UsageError(`invalid --format "${format}": use restore or save`);
  return format;
}

function scopeOf(ctx: CommandContext, snapshot: Snapshot, name: string | undefined): Scope {
  const namespace = ctx.global.namespace ?? snapshot.defaultNamespace;
  if (name !== undefined) {
    const service = snapshot.services.find((s) => s.metadata?.name === name && (s.metadata?.namespace ?? '') === namespace);
    if (!service) throw new NotFoundError('services', name);
    return { kind: 'service', namespace, name, service };
  }
  return ctx.global.allNamespaces ? { kind: 'all' } : { kind: 'namespace', namespace };
}

function includeFor(scope: Scope): (s: Service) => boolean {
  if (scope.kind === 'service') return (s) => s === scope.service;
  if (scope.kind === 'namespace') return (s) => (s.metadata?.namespace ?? '') === scope.namespace;
  return () => true;
}

/** The lines shown for the scope: a service's own lines, or every line of the render. */
function scopedLines(scope: Scope, rules: FamilyRules): RulesLine[] {
  return scope.kind === 'service' ? selectLines(rules.lines, ownedBy(scope.namespace, scope.name)) : rules.lines;
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

function textOutput(scope: Scope, shown: { rules: FamilyRules; lines: RulesLine[] }[], summaries: ServicePortSummary[], ctx: CommandContext): string {
  const nonEmpty = shown.filter((s) => s.lines.length > 0);
  const annotated = ctx.isTTY && scope.kind === 'service';
  const colors = palette(ctx.color);
  return nonEmpty
    .map((s) => {
      const body = annotated ? annotate(s.lines, notesFromRender(summaries, s.rules.family), colors) : linesText(s.lines);
      return nonEmpty.length > 1 ? `${FAMILY_HEADER[s.rules.form][s.rules.family]}\n${body}` : body;
    })
    .join('');
}

/** -o json: the same lines as data, grouped by family, table and chain, each with its owner. */
function jsonOutput(config: ProxyConfig, scope: Scope, form: RulesForm, shown: { rules: FamilyRules; lines: RulesLine[] }[], render: RenderResult, summaries: ServicePortSummary[]): string {
  const ownerFields = (o: RuleOwner | undefined) => (o ? { servicePort: o.servicePort, ...(o.endpoint ? { endpoint: o.endpoint } : {}) } : {});
  const families = shown
    .filter((s) => s.lines.length > 0)
    .map((s) => {
      type ChainDoc = { name: string; builtin: boolean; meta: Record<string, unknown>; rules: unknown[] };
      const tables: { name: string; chains: ChainDoc[] }[] = [];
      for (const l of s.lines) {
        if (l.kind === 'table') tables.push({ name: l.table, chains: [] });
        const table = tables[tables.length - 1];
        if (!table || !l.chain) continue;
        let chain = table.chains.find((c) => c.name === l.chain);
        if (!chain) {
          chain = { name: l.chain, builtin: Boolean(l.builtin), meta: {}, rules: [] };
          table.chains.push(chain);
        }
        if (l.kind === 'chain') {
          chain.meta = { declaration: l.text, ...(l.role ? { role: l.role } : {}), ...ownerFields(l.owner) };
        } else {
          chain.rules.push({ rule: l.text, ...ownerFields(l.owner) });
        }
      }
      return { family: `IPv${s.rules.family}`, tables: tables.map((t) => ({ name: t.name, chains: t.chains.map((c) => ({ name: c.name, builtin: c.builtin, ...c.meta, rules: c.rules })) })) };
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
  return JSON.stringify(doc, null, 2) + '\n';
}

/**
 * The per-service chains of the services in scope: those the model names, those the dump's
 * lines carrying their comment jump to, and everything those chains jump to in turn (so a node
 * running another kube-proxy version, or with endpoints the model does not know, still shows all).
 */
function scopeChains(scope: Scope, render: RenderResult, config: ProxyConfig, dump: readonly RulesLine[], commented: (text: string) => boolean): Set<string> {
  const wanted = scope.kind === 'service' ? ownedBy(scope.namespace, scope.name) : scope.kind === 'namespace' ? ownedBy(scope.namespace) : () => true;
  const chains = new Set<string>();
  for (const f of render.families) for (const l of saveLines(f, config.profile.switches)) if (l.kind === 'chain' && l.owner && wanted(l.owner)) chains.add(l.chain!);
  const targets = (text: string) => [...text.matchAll(/-j (KUBE-(?:SVC|SVL|EXT|FW|XLB|SEP)-[A-Z2-7]{16})\b/g)].map((m) => m[1]!);
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

/** --iptables-save FILE: the node's own lines for the scope instead of generated ones (save form). */
async function dumpView(path: string, scope: Scope, render: RenderResult, config: ProxyConfig, form: RulesForm, ctx: CommandContext): Promise<string> {
  if (form !== 'save') throw new UsageError('--iptables-save shows a node dump, which is in the save form: drop --format restore');
  if (ctx.global.output === 'json') throw new UsageError('--iptables-save prints the dump\'s lines as text: drop -o json');
  const lines = saveTextLines(printSave(parseRuleset(await readDumpFile(path, '--iptables-save'), { source: path })));
  if (scope.kind === 'all') return linesText(lines);
  // A comment names the service port: "ns/name:port ...", "ns/name ..." (unnamed, 1.19+) or "ns/name:" (unnamed, <= 1.18).
  const prefix = scope.kind === 'service' ? `${scope.namespace}/${scope.name}` : `${scope.namespace}/`;
  const commented = (text: string) =>
    [...text.matchAll(/--comment (?:"([^"]*)"|(\S+))/g)].some((m) => {
      const c = m[1] ?? m[2] ?? '';
      return scope.kind === 'namespace' ? c.startsWith(prefix) : c === prefix || c.startsWith(`${prefix}:`) || c.startsWith(`${prefix} `);
    });
  const chains = scopeChains(scope, render, config, lines, commented);
  const mentions = (text: string) => commented(text) || [...text.matchAll(/KUBE-[A-Z]+-[A-Z2-7]{16}/g)].some((m) => chains.has(m[0]));
  const out: RulesLine[] = [];
  let pending: RulesLine[] = [];
  for (const l of lines) {
    if (l.kind === 'table') pending = [l];
    else if (l.kind === 'commit') {
      if (pending.length > 1) out.push(...pending, l);
      pending = [];
    } else if ((l.chain && chains.has(l.chain)) || (l.kind === 'rule' && mentions(l.text))) pending.push(l);
  }
  return linesText(out);
}

function diffText(diff: RulesDiff, config: ProxyConfig): string {
  const sections: [string, string[], string][] = [
    ['missing', diff.missing, 'expected, not on the node'],
    ['extra', diff.extra, 'on the node, not expected'],
    ['stale', diff.stale, 'chains left over from a removed service or endpoint'],
  ];
  const found = sections.filter(([, list]) => list.length > 0);
  if (found.length === 0) return `no differences: the node's kube-proxy rules match the model (kube-proxy ${config.profile.version}, node ${config.nodeName})\n`;
  return found.map(([name, list, what]) => `${name} (${list.length}): ${what}\n${list.map((l) => `  ${l}\n`).join('')}`).join('');
}

async function runDiff(ctx: CommandContext, path: string, scope: Scope, render: RenderResult, config: ProxyConfig): Promise<{ stdout: string; differs: boolean }> {
  const dump = parseRuleset(await readDumpFile(path, '--diff'), { source: path });
  const family = dump.family === 'ipv6' ? 6 : 4;
  const fam = render.families.find((f) => f.family === family);
  const actual = saveTextLines(printSave(dump));
  const expected = fam ? saveLines(fam, config.profile.switches) : [];
  let diff = diffRules(expected, fam ? payloadChains(fam) : new Map(), actual);
  if (scope.kind === 'service') {
    const chains = new Set(expected.filter((l) => l.owner && ownedBy(scope.namespace, scope.name)(l.owner) && l.chain?.startsWith('KUBE-') && l.kind === 'chain').map((l) => l.chain!));
    // The dump's own SEP chains reached from the service's chains belong to it too (stale endpoints).
    for (const l of actual) if (l.kind === 'rule' && l.chain && chains.has(l.chain)) for (const m of l.text.matchAll(/-j (KUBE-SEP-[A-Z2-7]{16})/g)) chains.add(m[1]!);
    diff = diffForService(diff, chains, `${scope.namespace}/${scope.name}:`);
  }
  const differs = diff.missing.length + diff.extra.length + diff.stale.length > 0;
  if (ctx.global.output === 'json') return { stdout: JSON.stringify({ node: config.nodeName, proxyVersion: config.profile.version, family: `IPv${family}`, ...diff }, null, 2) + '\n', differs };
  return { stdout: diffText(diff, config), differs };
}

export async function run(ctx: CommandContext, name?: string): Promise<CommandResult> {
  const form = formOf(ctx);
  const output = ctx.global.output;
  if (output !== undefined && output !== 'json') throw new UsageError(`invalid -o "${output}" for rules: use -o json, or --format restore|save for text`);
  if (name !== undefined && ctx.global.allNamespaces) throw new UsageError('a resource cannot be retrieved by name across all namespaces');
  const diffPath = (ctx.opts.diff as string | undefined) ?? undefined;
  const dumpPath = ctx.opts.iptablesSave as string | undefined;
  if (dumpPath !== undefined && diffPath !== undefined) throw new UsageError('--diff and --iptables-save both name a node dump: give one');
  const notes: string[] = [];
  const { snapshot, config } = await proxyModelFor(ctx, notes);

  const scope = scopeOf(ctx, snapshot, name);
  const render = renderNode(snapshot, config, { include: includeFor(scope) });
  for (const s of render.skipped) notes.push(`note: kube-proxy writes no rules for service ${s.service}: ${s.reason}`);
  for (const w of render.warnings) notes.push(warningLine(w));

  if (dumpPath !== undefined) {
    const stdout = await dumpView(dumpPath, scope, render, config, form, ctx);
    return { stdout, stderr: notesText(notes) };
  }

  if (diffPath !== undefined) {
    const { stdout, differs } = await runDiff(ctx, diffPath, scope, render, config);
    return { stdout, stderr: notesText(notes), ...(differs ? { exitCode: EXIT.FINDINGS } : {}) };
  }

  const summaries = servicePortSummaries(render);
  const shown = render.families.map((f) => {
    const rules = familyRules(f, config.profile.switches, form);
    return { rules, lines: scopedLines(scope, rules) };
  });
  if (scope.kind === 'service' && shown.every((s) => s.lines.length === 0) && !render.skipped.some((s) => s.service === serviceKey(scope.service))) {
    notes.push(`note: kube-proxy writes no rules for service ${serviceKey(scope.service)} on node ${config.nodeName}`);
  }
  const stdout = output === 'json' ? jsonOutput(config, scope, form, shown, render, summaries) : textOutput(scope, shown, summaries, ctx);
  return { stdout, stderr: notesText(notes) };
}
