// `svctrace check`: lint services for CI. The rules live in src/cluster/lint.ts (objects) and
// come from the renderer's warnings (what kube-proxy would skip or trim); this command picks
// the services (-n, -A, -l), runs them and prints JSON, YAML or src/output/check-text.ts's
// table. Exit 1 when any error or warning is found, 0 otherwise.
import { EXIT, UsageError } from '../errors.js';
import { lintServices, type Finding, type Severity } from '../cluster/lint.js';
import { matchesSelector, parseSelector } from '../cluster/selector.js';
import type { Service } from '../cluster/types.js';
import { checkText } from '../output/check-text.js';
import { palette } from '../output/color.js';
import { printDocument } from '../output/formats.js';
import { renderNode } from '../proxy/render.js';
import type { CommandContext, CommandResult } from './context.js';
import { proxyModelFor } from './proxy-model.js';
import { notesText } from './shared.js';

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
const serviceKey = (s: Service) => `${s.metadata?.namespace}/${s.metadata?.name}`;

function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      a.service.localeCompare(b.service, 'en') ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      a.check.localeCompare(b.check, 'en') ||
      a.message.localeCompare(b.message, 'en'),
  );
}

function counts(findings: readonly Finding[]): Record<Severity, number> {
  const out: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) out[f.severity]++;
  return out;
}

export async function run(ctx: CommandContext): Promise<CommandResult> {
  const output = ctx.global.output;
  if (output !== undefined && output !== 'json' && output !== 'yaml') {
    throw new UsageError(`unable to match a printer suitable for the output format "${output}", allowed formats are: json,yaml`);
  }
  const selector = ctx.global.selector !== undefined ? parseSelector(ctx.global.selector) : undefined;
  const notes: string[] = [];
  const { snapshot, config } = await proxyModelFor(ctx, notes);
  const namespace = ctx.global.namespace ?? snapshot.defaultNamespace;
  const services = snapshot.services.filter(
    (s) =>
      (ctx.global.allNamespaces || s.metadata?.namespace === namespace) &&
      (!selector || matchesSelector(selector, s.metadata?.labels)),
  );
  const checked = new Set(services.map(serviceKey));

  const render = renderNode(snapshot, config, { include: (s) => checked.has(serviceKey(s)) });
  // renderNode warns only about the services it renders: the checked ones.
  const skips = render.warnings.filter((w) => w.service !== undefined);
  const findings = sortFindings([
    ...lintServices(snapshot, services),
    ...skips.map((w): Finding => ({ severity: 'error', check: 'kube-proxy-skips', service: w.service!, message: w.message })),
  ]);
  const summary = counts(findings);
  const failing = summary.error + summary.warning > 0;
  const exitCode = failing ? EXIT.FINDINGS : EXIT.OK;

  if (output === 'json' || output === 'yaml') {
    const doc = { services: services.length, summary, findings };
    return { stdout: await printDocument(doc, output), stderr: notesText(notes), exitCode };
  }
  const where = ctx.global.allNamespaces ? 'all namespaces' : `namespace ${namespace}`;
  if (services.length === 0) {
    return { stdout: '', stderr: notesText([...notes, `No services found in ${where}.`]), exitCode };
  }
  const stdout = checkText(findings, summary, services.length, where, ctx.global.allNamespaces, palette(ctx.color));
  return { stdout, stderr: notesText(notes), exitCode };
}
