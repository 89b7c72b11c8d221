// How iptables-restore splits a line into words, and how iptables-save quotes them back.

/** A word of a restore line: its text, and how it was written (quotes included). */
export interface Token {
  readonly text: string;
  readonly raw: string;
}

/**
 * Splits one restore line the way iptables-restore 1.8.9 does (add_param_to_argv in
 * iptables/xshared.c): spaces and tabs separate words; a double quote opens a quoted part in
 * which a backslash escapes the next character; the closing quote ends the word (`"a"b` is two
 * words) and `""` is an empty word. Single quotes and backslashes outside quotes are ordinary
 * characters: `--comment 'a b'` is the two words `'a` and `b'`, which iptables rejects.
 * Returns null when a quote is left open.
 */
export function tokenize(line: string): Token[] | null {
  // Words are cut out of the line as slices, not built a character at a time: a large dump has
  // hundreds of thousands of words, and chain names among them become map keys.
  const tokens: Token[] = [];
  const n = line.length;
  let i = 0;
  for (;;) {
    while (i < n && isSeparator(line[i]!)) i++;
    if (i === n) return tokens;
    const start = i;
    let text = '';
    while (i < n && !isSeparator(line[i]!)) {
      if (line[i] !== '"') {
        const run = i;
        while (i < n && !isSeparator(line[i]!) && line[i] !== '"') i++;
        text += line.slice(run, i);
        continue;
      }
      // a quoted part: a backslash escapes the next character; the closing quote ends the word
      let run = ++i;
      for (;;) {
        if (i >= n) return null;
        if (line[i] === '"') break;
        if (line[i] === '\\') {
          text += line.slice(run, i);
          run = ++i; // the escaped character starts the next run
        }
        i++;
      }
      text += line.slice(run, i++);
      break;
    }
    tokens.push({ text, raw: line.slice(start, i) });
  }
}

function isSeparator(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n';
}

/** The words of a line (see tokenize), or null when a quote is left open. */
export function splitWords(line: string): string[] | null {
  return tokenize(line)?.map((t) => t.text) ?? null;
}

const BARE = /^[A-Za-z0-9_-]+$/;

/**
 * A string option as iptables-save prints it (xtables_save_string): bare when non-empty and
 * made only of [A-Za-z0-9_-], else in double quotes with `"`, `\` and `'` escaped.
 */
export function saveString(value: string): string {
  if (BARE.test(value)) return value;
  return `"${value.replace(/["\\']/g, (c) => `\\${c}`)}"`;
}
