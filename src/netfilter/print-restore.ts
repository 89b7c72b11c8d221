// The iptables-restore input form: every table section with its lines as written, so a
// payload parsed from text prints back byte for byte (comment and blank lines aside). A state
// that was not parsed (applyRestore's result, emptyRuleset) prints as declarations followed by
// each chain's rules with `-A`.
import type { Ruleset } from './model.js';

export function printRestore(ruleset: Ruleset): string {
  const lines: string[] = [];
  for (const table of ruleset.tables) {
    lines.push(`*${table.name}`);
    for (const c of table.commands) lines.push(c.text); // not push(...): a table can have more lines than a call takes arguments
    lines.push('COMMIT');
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}
