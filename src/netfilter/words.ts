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
  const tokens: Token[] = [];
  let text = '';
  let start = -1; // index where the current word started, -1 outside a word
  let quoted = false;
  let escaped = false;
  const end = (i: number) => {
    tokens.push({ text, raw: line.slice(start, i) });
    text = '';
    start = -1;
  };
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (escaped) {
        text += ch;
        escaped = false;
      } else if (ch === '\\') {
        escaped = true;
      } else if (ch === '"') {
        quoted = false;
        end(i + 1);
      } else {
        text += ch;
      }
      continue;
    }
    if (ch === '"') {
      quoted = true;
      if (start < 0) start = i;
    } else if (ch === ' ' || ch === '\t' || ch === '\n') {
      if (start >= 0) end(i);
    } else {
      text += ch;
      if (start < 0) start = i;
    }
  }
  if (quoted) return null;
  if (start >= 0) end(line.length);
  return tokens;
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
