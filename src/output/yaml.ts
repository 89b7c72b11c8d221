// `-o yaml` as kubectl writes it. kubectl marshals to JSON, then sigs.k8s.io/yaml turns the
// JSON into YAML with go-yaml v2 (a port of libyaml). This module emits the JSON data
// model (maps, arrays, strings, numbers, booleans, null) with the same choices:
//   - map keys in go-yaml's order (letters after other characters, digit runs by value);
//   - sequences not indented under their key; empty maps and lists as {} and [];
//   - a string that would read back as another type ("8080", "true", "y", "2020-09-05",
//     "190:20:30", "") in double quotes; one plain YAML cannot carry in single quotes;
//     one with a line break as a literal block ("|", "|-", "|2-"), else double quotes;
//   - plain and quoted strings folded at the first space past column 80.
// Verified against kubectl 1.32's own output (test/fixtures/get/kubectl-yaml-*.yaml).
// Not ported: keys longer than 128 characters or spanning lines ("? " complex keys).

const BEST_WIDTH = 80;
const BEST_INDENT = 2;

// ---------------------------------------------------------------- key order (go-yaml keyList.Less)

const isLetter = (c: string) => /\p{L}/u.test(c);
const isDigit = (c: string) => c >= '0' && c <= '9';

/** go-yaml v2's map key order. */
export function compareYamlKeys(a: string, b: string): number {
  if (a === b) return 0;
  return yamlKeyLess(a, b) ? -1 : 1;
}

function yamlKeyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  // Whether the runes shared so far end in a digit: "a1b" < "a10b" (a digit run ends first).
  let digits = false;
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) {
      digits = isDigit(ar[i]!);
      continue;
    }
    const al = isLetter(ar[i]!);
    const bl = isLetter(br[i]!);
    if (al && bl) return ar[i]!.codePointAt(0)! < br[i]!.codePointAt(0)!;
    if (al || bl) return digits ? al : bl;
    let an = 0;
    let bn = 0;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]!); j--) {
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && isDigit(ar[ai]!); ai++) an = an * 10 + Number(ar[ai]);
    let bi = i;
    for (; bi < br.length && isDigit(br[bi]!); bi++) bn = bn * 10 + Number(br[bi]);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i]!.codePointAt(0)! < br[i]!.codePointAt(0)!;
  }
  return ar.length < br.length;
}

// ---------------------------------------------------------------- would a plain scalar read back as a string?

const RESOLVED_WORDS = new Set([
  'y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON',
  'n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF',
  '', '~', 'null', 'Null', 'NULL',
  '.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF',
]);
const GO_INT = /^[-+]?(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|0[0-7]*|[1-9][0-9]*)$/;
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const DOT_FLOAT = /^\.[0-9]+([eE][-+]?[0-9]+)?$/;
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const TIMESTAMPS = [
  /^(\d{4})-(\d{1,2})-(\d{1,2})[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
  /^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2})(\.\d+)?$/,
  /^(\d{4})-(\d{1,2})-(\d{1,2})$/,
];

function isTimestamp(s: string): boolean {
  for (const re of TIMESTAMPS) {
    const m = re.exec(s);
    if (!m) continue;
    const [month, day, hour = '0', minute = '0', second = '0'] = m.slice(2).map((x) => x ?? '0');
    if (+month! >= 1 && +month! <= 12 && +day! >= 1 && +day! <= 31 && +hour < 24 && +minute < 60 && +second < 60) return true;
  }
  return false;
}

/** True when go-yaml would read the plain text back as something other than a string. */
export function resolvesToNonString(s: string): boolean {
  if (RESOLVED_WORDS.has(s)) return true;
  const first = s[0] ?? '';
  if (first === '.') return DOT_FLOAT.test(s);
  if (isDigit(first) || first === '+' || first === '-') {
    if (isDigit(first) && isTimestamp(s)) return true;
    const plain = s.replaceAll('_', '');
    if (GO_INT.test(plain) || YAML_FLOAT.test(plain)) return true;
  }
  return BASE60_FLOAT.test(s);
}

// ---------------------------------------------------------------- scalar analysis (libyaml yaml_emitter_analyze_scalar)

const isBreak = (c: string | undefined) => c === '\r' || c === '\n' || c === '\u0085' || c === '\u2028' || c === '\u2029';
const isBlankOrEnd = (c: string | undefined) => c === undefined || c === ' ' || c === '\t' || isBreak(c);

/** go-yaml's is_printable, in code points: "\n", printable ASCII and the BMP minus surrogates and BOM. */
function isPrintable(c: string): boolean {
  const cp = c.codePointAt(0)!;
  return (
    cp === 0x0a ||
    (cp >= 0x20 && cp <= 0x7e) ||
    (cp >= 0xa0 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff)
  );
}

interface Analysis {
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

function analyze(chars: readonly string[]): Analysis {
  if (chars.length === 0) return { blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: false };
  let blockIndicators = false;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  const text = chars.join('');
  if (text.startsWith('---') || text.startsWith('...')) blockIndicators = true;
  let precededByWhitespace = true;
  let followedByWhitespace = isBlankOrEnd(chars[1]);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) blockIndicators = true;
      if ((c === '?' || c === ':') && followedByWhitespace) blockIndicators = true;
      if (c === '-' && followedByWhitespace) blockIndicators = true;
    } else {
      if (c === ':' && followedByWhitespace) blockIndicators = true;
      if (c === '#' && precededByWhitespace) blockIndicators = true;
    }
    if (!isPrintable(c)) special = true;
    if (isBreak(c)) lineBreaks = true;
    if (c === ' ') {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlankOrEnd(c);
    followedByWhitespace = isBlankOrEnd(chars[i + 2]);
  }
  let blockPlainAllowed = true;
  let singleQuotedAllowed = true;
  let blockAllowed = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) blockPlainAllowed = false;
  if (trailingSpace) blockAllowed = false;
  if (breakSpace) {
    blockPlainAllowed = false;
    singleQuotedAllowed = false;
  }
  if (spaceBreak || special) {
    blockPlainAllowed = false;
    singleQuotedAllowed = false;
    blockAllowed = false;
  }
  if (lineBreaks || blockIndicators) blockPlainAllowed = false;
  return { blockPlainAllowed, singleQuotedAllowed, blockAllowed };
}

type Style = 'plain' | 'single' | 'double' | 'literal';

/** go-yaml's encoder choice (stringv) refined by libyaml's yaml_emitter_select_scalar_style. */
function selectStyle(chars: readonly string[], isKey: boolean): Style {
  const text = chars.join('');
  let style: Style = text.includes('\n') ? 'literal' : resolvesToNonString(text) ? 'double' : 'plain';
  // Not ported: libyaml folds single-quoted text around line breaks other than "\n"
  // (U+2028...); such rare strings get double quotes, which read back the same.
  if (style === 'plain' && chars.some((c) => isBreak(c))) style = 'double';
  const a = analyze(chars);
  if (style === 'plain' && (!a.blockPlainAllowed || (chars.length === 0 && isKey))) style = 'single';
  if (style === 'single' && !a.singleQuotedAllowed) style = 'double';
  if (style === 'literal' && (!a.blockAllowed || isKey)) style = 'double';
  return style;
}

// ---------------------------------------------------------------- the writer (libyaml emitter.c)

const DOUBLE_ESCAPES: Record<number, string> = {
  0x00: '0', 0x07: 'a', 0x08: 'b', 0x09: 't', 0x0a: 'n', 0x0b: 'v', 0x0c: 'f', 0x0d: 'r',
  0x1b: 'e', 0x22: '"', 0x5c: '\\', 0x85: 'N', 0xa0: '_', 0x2028: 'L', 0x2029: 'P',
};

class Emitter {
  out = '';
  column = 0;
  whitespace = true;
  indention = true;

  put(text: string): void {
    this.out += text;
    for (const _ of text) this.column++;
  }

  newline(): void {
    this.out += '\n';
    this.column = 0;
  }

  writeIndent(indent: number): void {
    const i = Math.max(indent, 0);
    if (!this.indention || this.column > i || (this.column === i && !this.whitespace)) this.newline();
    while (this.column < i) this.put(' ');
    this.whitespace = true;
    this.indention = true;
  }

  indicator(text: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(' ');
    this.put(text);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  /** A scalar at `indent` (its folded lines and block lines start there). */
  scalar(text: string, indent: number, isKey: boolean, forcePlain = false): void {
    const chars = [...text];
    const style = forcePlain ? 'plain' : selectStyle(chars, isKey);
    const allowBreaks = !isKey;
    switch (style) {
      case 'plain':
        return this.plain(chars, indent, allowBreaks);
      case 'single':
        return this.singleQuoted(chars, indent, allowBreaks);
      case 'double':
        return this.doubleQuoted(chars, indent, allowBreaks);
      case 'literal':
        return this.literal(chars, indent);
    }
  }

  private plain(chars: readonly string[], indent: number, allowBreaks: boolean): void {
    if (!this.whitespace) this.put(' ');
    let spaces = false;
    chars.forEach((c, i) => {
      if (c === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && chars[i + 1] !== ' ') this.writeIndent(indent);
        else this.put(c);
        spaces = true;
      } else {
        this.put(c);
        this.indention = false;
        spaces = false;
      }
    });
    this.whitespace = false;
    this.indention = false;
  }

  private singleQuoted(chars: readonly string[], indent: number, allowBreaks: boolean): void {
    this.indicator("'", true, false, false);
    let spaces = false;
    chars.forEach((c, i) => {
      if (c === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i !== 0 && i !== chars.length - 1 && chars[i + 1] !== ' ') {
          this.writeIndent(indent);
        } else {
          this.put(c);
        }
        spaces = true;
      } else {
        this.put(c === "'" ? "''" : c);
        this.indention = false;
        spaces = false;
      }
    });
    this.indicator("'", false, false, false);
  }

  private doubleQuoted(chars: readonly string[], indent: number, allowBreaks: boolean): void {
    this.indicator('"', true, false, false);
    let spaces = false;
    chars.forEach((c, i) => {
      const cp = c.codePointAt(0)!;
      if (!isPrintable(c) || cp === 0xfeff || isBreak(c) || c === '"' || c === '\\') {
        const short = DOUBLE_ESCAPES[cp];
        if (short !== undefined) this.put('\\' + short);
        else if (cp <= 0xff) this.put('\\x' + cp.toString(16).toUpperCase().padStart(2, '0'));
        else if (cp <= 0xffff) this.put('\\u' + cp.toString(16).toUpperCase().padStart(4, '0'));
        else this.put('\\U' + cp.toString(16).toUpperCase().padStart(8, '0'));
        spaces = false;
      } else if (c === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i !== 0 && i !== chars.length - 1) {
          this.writeIndent(indent);
          if (chars[i + 1] === ' ') this.put('\\');
        } else {
          this.put(c);
        }
        spaces = true;
      } else {
        this.put(c);
        spaces = false;
      }
    });
    this.indicator('"', false, false, false);
  }

  private literal(chars: readonly string[], indent: number): void {
    this.indicator('|', true, false, false);
    // Block scalar hints: an indentation indicator when the text starts with a space or
    // a line break, then "-" (no final newline) or "+" (more than one).
    if (chars[0] === ' ' || isBreak(chars[0])) this.indicator(String(BEST_INDENT), false, false, false);
    const last = chars[chars.length - 1];
    if (!isBreak(last)) this.indicator('-', false, false, false);
    else if (chars.length === 1 || isBreak(chars[chars.length - 2])) this.indicator('+', false, false, false);
    this.newline();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (const c of chars) {
      if (isBreak(c)) {
        // write_break: "\n" as a newline, any other line break written as itself.
        if (c === '\n') this.newline();
        else {
          this.out += c;
          this.column = 0;
        }
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent(indent);
        this.put(c);
        this.indention = false;
        breaks = false;
      }
    }
    // Like libyaml, leave `whitespace` set: after a final line break the next key needs no newline.
  }
}

// ---------------------------------------------------------------- structure

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** strconv.FormatFloat(f, 'g', -1, 64): shortest digits, exponent form below 1e-4 or from 1e6. */
function goFloat(f: number): string {
  if (Number.isInteger(f) && Math.abs(f) < 1e21) return String(f);
  if (!Number.isFinite(f)) return Number.isNaN(f) ? '.nan' : f > 0 ? '+.inf' : '-.inf';
  const [mantissa, exponent] = f.toExponential().split('e') as [string, string];
  const exp = Number(exponent);
  if (exp < -4 || exp >= 6) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(f);
}

function scalarText(value: null | boolean | number): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  return goFloat(value);
}

const isEmptyCollection = (v: Json) =>
  (Array.isArray(v) && v.length === 0) || (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0);

/**
 * Emits `value` as the node after a mapping ":" or a sequence "-".
 * `parentIndent` is the indentation of the mapping or sequence holding it.
 */
function node(e: Emitter, value: Json, parentIndent: number, inMapping: boolean): void {
  if (Array.isArray(value) || (value !== null && typeof value === 'object')) {
    if (isEmptyCollection(value)) {
      e.indicator(Array.isArray(value) ? '[' : '{', true, true, false);
      e.indicator(Array.isArray(value) ? ']' : '}', false, false, false);
      return;
    }
    if (Array.isArray(value)) {
      // A sequence that is a mapping's value is not indented ("indentless").
      const indentless = inMapping && !e.indention;
      sequence(e, value, indentless ? Math.max(parentIndent, 0) : parentIndent < 0 ? 0 : parentIndent + BEST_INDENT);
    } else {
      mapping(e, value, parentIndent < 0 ? 0 : parentIndent + BEST_INDENT);
    }
    return;
  }
  const scalarIndent = parentIndent < 0 ? BEST_INDENT : parentIndent + BEST_INDENT;
  if (typeof value === 'string') e.scalar(value, scalarIndent, false);
  else e.scalar(scalarText(value), scalarIndent, false, true);
}

function mapping(e: Emitter, map: { [key: string]: Json }, indent: number): void {
  const keys = Object.keys(map)
    .filter((k) => map[k] !== undefined)
    .sort(compareYamlKeys);
  for (const key of keys) {
    e.writeIndent(indent);
    e.scalar(key, indent + BEST_INDENT, true);
    e.indicator(':', false, false, false);
    node(e, map[key]!, indent, true);
  }
}

function sequence(e: Emitter, items: Json[], indent: number): void {
  for (const item of items) {
    e.writeIndent(indent);
    e.indicator('-', true, false, true);
    node(e, item, indent, false);
  }
}

/** The value as kubectl's YAML printer writes it, ending in a newline. */
export function toKubectlYAML(value: unknown): string {
  const e = new Emitter();
  const v = JSON.parse(JSON.stringify(value ?? null)) as Json;
  if (Array.isArray(v) || (v !== null && typeof v === 'object')) {
    if (isEmptyCollection(v)) return Array.isArray(v) ? '[]\n' : '{}\n';
    if (Array.isArray(v)) sequence(e, v, 0);
    else mapping(e, v, 0);
  } else {
    node(e, v, -1, false);
  }
  return e.out + '\n';
}
