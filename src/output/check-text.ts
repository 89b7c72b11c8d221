// How `check` presents its findings: kubectl's table layout, one row per finding (NAMESPACE
// with -A), severities coloured on a terminal, then one line that tallies them.
import type { Finding, Severity } from '../cluster/lint.js';
import type { Palette } from './color.js';
import { alignTable } from './table.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function table(findings: readonly Finding[], allNamespaces: boolean, colors: Palette): string {
  const paint = (s: Severity) => (s === 'error' ? colors.bad(s) : s === 'warning' ? colors.warn(s) : s);
  const header = [...(allNamespaces ? ['NAMESPACE'] : []), 'SERVICE', 'SEVERITY', 'CHECK', 'MESSAGE'];
  const rows = findings.map((f) => {
    const slash = f.service.indexOf('/');
    const [ns, name] = [f.service.slice(0, slash), f.service.slice(slash + 1)];
    return [...(allNamespaces ? [ns] : []), name, paint(f.severity), f.check, f.message];
  });
  return alignTable([header, ...rows]);
}

/**
 * The findings' table and tally ("2 findings (1 error, 1 warning); 3 services checked in
 * namespace web."), or the one line that says there are none. `where` names the scope.
 */
export function checkText(findings: readonly Finding[], tally: Record<Severity, number>, services: number, where: string, allNamespaces: boolean, colors: Palette): string {
  const total = `${plural(services, 'service')} checked in ${where}`;
  if (findings.length === 0) return `No findings: ${total}.\n`;
  const kinds = (['error', 'warning', 'info'] as const).filter((s) => tally[s] > 0).map((s) => plural(tally[s], s)).join(', ');
  return table(findings, allNamespaces, colors) + `\n${plural(findings.length, 'finding')} (${kinds}); ${total}.\n`;
}
