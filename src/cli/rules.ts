// `svctrace rules [SERVICE]`: the iptables rules kube-proxy (iptables mode) writes on one node,
// for one service (its chains and its lines in shared chains), a namespace (-n: a complete,
// loadable table set for that namespace's services), or everything (-A); the default
// namespace when neither is given, as kubectl does. Two text forms (--format restore|save),
// -o json, annotations on a terminal, and --diff against a node's iptables-save dump.
import { EXIT, UsageError } from '../errors.js';
import { findService } from '../cluster/lookup.js';
import { readFlagFile } from '../cluster/flag-file.js';
import type { Snapshot } from '../cluster/types.js';
import { parseRuleset, printSave } from '../netfilter/index.js';
import { palette } from '../output/color.js';
import { printDocument } from '../output/formats.js';
import { diffDocument, diffText, rulesDocument, rulesText } from '../output/rules-text.js';
import { familyRules, linesText, saveTextLines, type RulesForm, type RulesLine } from '../proxy/node-rules.js';
import { renderNode } from '../proxy/render.js';
import { diffNode, dumpLinesFor, includeFor, scopedLines, type RulesScope } from '../proxy/rules-scope.js';
import { serviceKey } from '../proxy/service-ports.js';
import { servicePortSummaries } from '../proxy/summary.js';
import { warningLine } from '../proxy/warnings.js';
import type { CommandContext, CommandResult } from './context.js';
import { proxyModelFor } from './proxy-model.js';
import { notesText } from './shared.js';

function formOf(ctx: CommandContext): RulesForm {
  const format = (ctx.opts.format as string | undefined) ?? 'save';
  if (format !== 'save' && format !== 'restore') throw new UsageError(`invalid --format "${format}": use restore or save`);
  return format;
}

function scopeOf(ctx: CommandContext, snapshot: Snapshot, name: string | undefined): RulesScope {
  const namespace = ctx.global.namespace ?? snapshot.defaultNamespace;
  if (name !== undefined) {
    return { kind: 'service', namespace, name, service: findService(snapshot, namespace, name) };
  }
  return ctx.global.allNamespaces ? { kind: 'all' } : { kind: 'namespace', namespace };
}

/** A node's iptables-save dump, in svctrace's save-form lines. */
async function dumpLines(path: string, flag: string): Promise<{ family: 4 | 6; lines: RulesLine[] }> {
  const dump = parseRuleset(await readFlagFile(path, flag), { source: path });
  return { family: dump.family === 'ipv6' ? 6 : 4, lines: saveTextLines(printSave(dump)) };
}

export async function run(ctx: CommandContext, name?: string): Promise<CommandResult> {
  const form = formOf(ctx);
  const output = ctx.global.output;
  if (output !== undefined && output !== 'json') throw new UsageError(`invalid -o "${output}" for rules: use -o json, or --format restore|save for text`);
  if (name !== undefined && ctx.global.allNamespaces) throw new UsageError('a resource cannot be retrieved by name across all namespaces');
  const diffPath = (ctx.opts.diff as string | undefined) ?? undefined;
  const dumpPath = ctx.opts.iptablesSave as string | undefined;
  if (dumpPath !== undefined && diffPath !== undefined) throw new UsageError('--diff and --iptables-save both name a node dump: give one');
  if (dumpPath !== undefined && form !== 'save') throw new UsageError('--iptables-save shows a node dump, which is in the save form: drop --format restore');
  if (dumpPath !== undefined && output === 'json') throw new UsageError('--iptables-save prints the dump\'s lines as text: drop -o json');
  const notes: string[] = [];
  const { snapshot, config } = await proxyModelFor(ctx, notes);

  const scope = scopeOf(ctx, snapshot, name);
  const render = renderNode(snapshot, config, { include: includeFor(scope) });
  for (const s of render.skipped) notes.push(`note: kube-proxy writes no rules for service ${s.service}: ${s.reason}`);
  for (const w of render.warnings) notes.push(warningLine(w));

  if (dumpPath !== undefined) {
    const dump = await dumpLines(dumpPath, '--iptables-save');
    return { stdout: linesText(dumpLinesFor(scope, dump.lines, render, config)), stderr: notesText(notes) };
  }

  if (diffPath !== undefined) {
    const dump = await dumpLines(diffPath, '--diff');
    const diff = diffNode(scope, dump.family, dump.lines, render, config);
    const differs = diff.missing.length + diff.extra.length + diff.stale.length > 0;
    const stdout = output === 'json' ? await printDocument(diffDocument(diff, config, dump.family)) : diffText(diff, config);
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
  const annotated = ctx.isTTY && scope.kind === 'service';
  const stdout = output === 'json' ? await printDocument(rulesDocument(config, scope, form, shown, render, summaries)) : rulesText(shown, summaries, annotated, palette(ctx.color));
  return { stdout, stderr: notesText(notes) };
}
