// Label selectors exactly as kubectl reads `-l`: a port of the lexer and parser in
// k8s.io/apimachinery/pkg/labels/selector.go, with its validation and its error texts (checked
// against kubectl 1.32 in test/fixtures/cluster/selector-errors.json), plus matching and the
// Service `spec.selector` map (labels.Set(...).AsSelectorPreValidated()).
import { UsageError } from '../errors.js';
import { goCompare } from './go-order.js';

/** selection.Operator values, as Go spells them. */
export type Operator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

export interface Requirement {
  key: string;
  operator: Operator;
  /** Sorted and de-duplicated, as Go's sets.String.List() gives them to NewRequirement. */
  values: string[];
}

/** A parsed selector: the AND of its requirements, sorted by key (Go's ByKey, a stable sort here). */
export interface LabelSelector {
  requirements: Requirement[];
}

export type Labels = Readonly<Record<string, string>> | undefined | null;

/** The selector that matches everything (kubectl without -l, or `-l ''`). */
export const EVERYTHING: LabelSelector = { requirements: [] };

// ---- validation (k8s.io/apimachinery/pkg/util/validation, kubectl 1.32 wording) ----

const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QUALIFIED_NAME = new RegExp(`^${QUALIFIED_NAME_FMT}$`);
const QUALIFIED_NAME_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;
const LABEL_VALUE = new RegExp(`^${LABEL_VALUE_FMT}$`);
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1123_SUBDOMAIN = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);
const DNS1123_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

function regexError(msg: string, re: string, ...examples: string[]): string {
  // Go appends "'x', " then " or " between examples: hence the double space kubectl prints.
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${re}')`;
}

const maxLenError = (n: number) => `must be no more than ${n} characters`;
const byteLength = (s: string) => Buffer.byteLength(s, 'utf8');

function dns1123SubdomainErrors(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 253) errs.push(maxLenError(253));
  if (!DNS1123_SUBDOMAIN.test(value)) errs.push(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, 'example.com'));
  return errs;
}

/** validation.IsQualifiedName: the rules for a label key. Empty when valid. */
export function labelKeyErrors(key: string): string[] {
  const errs: string[] = [];
  const parts = key.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0]!;
  } else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else errs.push(...dns1123SubdomainErrors(prefix).map((m) => `prefix part ${m}`));
  } else {
    return [
      `a qualified name ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')}` +
        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (byteLength(name) > 63) errs.push(`name part ${maxLenError(63)}`);
  if (!QUALIFIED_NAME.test(name)) errs.push(`name part ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

/** validation.IsValidLabelValue. Empty when valid. */
export function labelValueErrors(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 63) errs.push(maxLenError(63));
  if (!LABEL_VALUE.test(value)) errs.push(regexError(LABEL_VALUE_MSG, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  return errs;
}

/** field.Invalid(path, value, detail).Error(); kubectl's parser has a nil root path: "<nil>". */
const invalid = (path: string, value: string, details: string[]) =>
  `${path}: Invalid value: ${JSON.stringify(value)}: ${details.join('; ')}`;

/** Go's strconv.ParseInt(s, 10, 64) accepts exactly this. */
function isInt64(s: string): boolean {
  if (!/^[+-]?\d+$/.test(s)) return false;
  const n = BigInt(s);
  return n >= -(2n ** 63n) && n < 2n ** 63n;
}

/** NewRequirement's checks (after the key was validated by the parser): aggregated as Go does. */
function requirementErrors(key: string, op: Operator, values: string[]): string | null {
  const errs: string[] = [];
  if (op === 'gt' || op === 'lt') {
    values.forEach((v, i) => {
      if (!isInt64(v)) errs.push(invalid(`values[${i}]`, v, ["for 'Gt', 'Lt' operators, the value must be an integer"]));
    });
  }
  values.forEach((v, i) => {
    const e = labelValueErrors(v);
    if (e.length > 0) errs.push(invalid(`values[${i}][${key}]`, v, e));
  });
  if (errs.length === 0) return null;
  return errs.length === 1 ? errs[0]! : `[${errs.join(', ')}]`;
}

// ---- lexer ----

type Tok =
  | 'error' | 'end' | ')' | ',' | '!' | '==' | '=' | '>' | 'identifier' | 'in' | '<' | '!=' | 'notin' | '(';

const LITERAL_TOKENS: Record<string, Tok> = {
  ')': ')', ',': ',', '!': '!', '==': '==', '=': '=', '>': '>', in: 'in', '<': '<', '!=': '!=', notin: 'notin', '(': '(',
};

interface Scanned {
  tok: Tok;
  lit: string;
}

const isWhitespace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isSpecial = (c: string) => '=!(),><'.includes(c);

function lex(input: string): Scanned[] {
  // Go indexes bytes; UTF-8 bytes above 0x7f are never special, so code units do the same job.
  let pos = 0;
  const out: Scanned[] = [];
  for (;;) {
    while (pos < input.length && isWhitespace(input[pos]!)) pos++;
    if (pos >= input.length) {
      out.push({ tok: 'end', lit: '' });
      return out;
    }
    if (isSpecial(input[pos]!)) {
      // Longest run of special characters that still forms an operator ("!=" yes, "=(" no).
      let buf = '';
      let last: Scanned | null = null;
      while (pos < input.length && isSpecial(input[pos]!)) {
        buf += input[pos];
        const t = LITERAL_TOKENS[buf];
        if (t) {
          last = { tok: t, lit: buf };
          pos++;
        } else if (last) {
          break;
        } else {
          pos++;
        }
      }
      out.push(last ?? { tok: 'error', lit: `error expected: keyword found '${buf}'` });
      continue;
    }
    let buf = '';
    while (pos < input.length && !isSpecial(input[pos]!) && !isWhitespace(input[pos]!)) buf += input[pos++];
    out.push({ tok: LITERAL_TOKENS[buf] ?? 'identifier', lit: buf });
  }
}

// ---- parser ----

class Parser {
  private position = 0;
  constructor(private readonly items: Scanned[]) {}

  /** In value context the keywords "in" and "notin" are plain identifiers. */
  private lookahead(values: boolean): Scanned {
    return this.asContext(this.items[this.position]!, values);
  }
  private consume(values: boolean): Scanned {
    return this.asContext(this.items[this.position++]!, values);
  }
  private asContext(s: Scanned, values: boolean): Scanned {
    return values && (s.tok === 'in' || s.tok === 'notin') ? { tok: 'identifier', lit: s.lit } : s;
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    for (;;) {
      const { tok, lit } = this.lookahead(true);
      if (tok === 'identifier' || tok === '!') {
        try {
          reqs.push(this.parseRequirement());
        } catch (e) {
          throw new ParseFailure(`unable to parse requirement: ${(e as ParseFailure).message}`);
        }
        const next = this.consume(true);
        if (next.tok === 'end') return reqs;
        if (next.tok === ',') {
          const after = this.lookahead(true);
          if (after.tok !== 'identifier' && after.tok !== '!') {
            throw new ParseFailure(`found '${after.lit}', expected: identifier after ','`);
          }
          continue;
        }
        throw new ParseFailure(`found '${next.lit}', expected: ',' or 'end of string'`);
      }
      if (tok === 'end') return reqs;
      throw new ParseFailure(`found '${lit}', expected: !, identifier, or 'end of string'`);
    }
  }

  private parseRequirement(): Requirement {
    let { tok, lit } = this.consume(true);
    let operator: Operator | undefined;
    if (tok === '!') {
      operator = '!';
      ({ tok, lit } = this.consume(true));
    }
    if (tok !== 'identifier') throw new ParseFailure(`found '${lit}', expected: identifier`);
    const keyErrs = labelKeyErrors(lit);
    if (keyErrs.length > 0) throw new ParseFailure(invalid('<nil>', lit, keyErrs));
    const key = lit;
    // "!key" is complete whatever follows ("!a=b" then fails on "=" in parse()).
    if (operator === '!') return { key, operator, values: [] };
    const ahead = this.lookahead(true).tok;
    if (ahead === 'end' || ahead === ',') return { key, operator: 'exists', values: [] };
    operator = this.parseOperator();
    const values = operator === 'in' || operator === 'notin' ? this.parseValues() : this.parseExactValue();
    const sorted = [...new Set(values)].sort(goCompare);
    const err = requirementErrors(key, operator, sorted);
    if (err) throw new ParseFailure(err);
    return { key, operator, values: sorted };
  }

  private parseOperator(): Operator {
    const { tok, lit } = this.consume(false);
    switch (tok) {
      case 'in': return 'in';
      case '=': return '=';
      case '==': return '==';
      case '>': return 'gt';
      case '<': return 'lt';
      case 'notin': return 'notin';
      case '!=': return '!=';
      default:
        throw new ParseFailure(`found '${lit}', expected: in, notin, =, ==, !=, gt, lt`);
    }
  }

  private parseValues(): string[] {
    const open = this.consume(true);
    if (open.tok !== '(') throw new ParseFailure(`found '${open.lit}' expected: '('`);
    const { tok, lit } = this.lookahead(true);
    if (tok === 'identifier' || tok === ',') {
      const values = this.parseIdentifiersList();
      if (this.consume(true).tok !== ')') throw new ParseFailure(`found '${lit}', expected: ')'`);
      return values;
    }
    if (tok === ')') {
      this.consume(true);
      return [''];
    }
    throw new ParseFailure(`found '${lit}', expected: ',', ')' or identifier`);
  }

  /** A possibly empty, comma-separated list of possibly empty identifiers: "(a,,b)", "(,)". */
  private parseIdentifiersList(): string[] {
    const values: string[] = [];
    for (;;) {
      const { tok, lit } = this.consume(true);
      if (tok === 'identifier') {
        values.push(lit);
        const next = this.lookahead(true);
        if (next.tok === ',') continue;
        if (next.tok === ')') return values;
        throw new ParseFailure(`found '${next.lit}', expected: ',' or ')'`);
      }
      if (tok === ',') {
        if (values.length === 0) values.push('');
        const next = this.lookahead(true).tok;
        if (next === ')') {
          values.push('');
          return values;
        }
        if (next === ',') values.push('');
        continue;
      }
      throw new ParseFailure(`found '${lit}', expected: ',', or identifier`);
    }
  }

  private parseExactValue(): string[] {
    const ahead = this.lookahead(true).tok;
    if (ahead === 'end' || ahead === ',') return [''];
    const { tok, lit } = this.consume(true);
    if (tok === 'identifier') return [lit];
    throw new ParseFailure(`found '${lit}', expected: identifier`);
  }
}

class ParseFailure extends Error {}


/**
 * Parses a `-l` selector the way kubectl does. Throws UsageError with kubectl's message:
 * `the provided selector "a b" is not valid: unable to parse requirement: found 'b', expected: ...`.
 */
export function parseSelector(text: string): LabelSelector {
  try {
    const reqs = new Parser(lex(text)).parse();
    // sort.Sort(ByKey) is not stable in Go, but requirements with equal keys are ANDed: order is moot.
    reqs.sort((a, b) => goCompare(a.key, b.key));
    return { requirements: reqs };
  } catch (e) {
    if (e instanceof ParseFailure) {
      throw new UsageError(`the provided selector ${goQuote(text)} is not valid: ${e.message}`);
    }
    throw e;
  }
}

/** Go's %q for the strings a selector can hold: JSON quoting, which escapes the same controls. */
const goQuote = (s: string) => JSON.stringify(s);

function requirementMatches(r: Requirement, labels: Labels): boolean {
  const has = labels != null && Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? labels![r.key]! : undefined;
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has && r.values.includes(value!);
    case 'notin':
    case '!=':
      return !has || !r.values.includes(value!);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || !isInt64(value!) || r.values.length !== 1) return false;
      const lv = BigInt(value!);
      const rv = BigInt(r.values[0]!);
      return r.operator === 'gt' ? lv > rv : lv < rv;
    }
  }
}

/** True when every requirement holds for `labels` (an empty selector matches everything). */
export function matchesSelector(selector: LabelSelector, labels: Labels): boolean {
  return selector.requirements.every((r) => requirementMatches(r, labels));
}

/**
 * True when a Service's `spec.selector` selects an object with these labels. A Service without a
 * selector (absent or empty: the API server drops `{}`) selects nothing, as the endpoint
 * controllers treat it; otherwise every key must be present with the same value.
 */
export function serviceSelectorMatches(selector: Labels, labels: Labels): boolean {
  if (!hasSelector(selector)) return false;
  return Object.entries(selector!).every(
    ([k, v]) => labels != null && Object.prototype.hasOwnProperty.call(labels, k) && labels[k] === v,
  );
}

/** A Service `spec.selector` that selects something (non-empty). */
export function hasSelector(selector: Labels): boolean {
  return selector != null && Object.keys(selector).length > 0;
}

/** labels.Selector.String(): requirements joined by ",", values sorted ("a in (x,y),!b"). */
export function selectorString(selector: LabelSelector): string {
  return selector.requirements
    .map((r) => {
      const vals = r.values.join(',');
      switch (r.operator) {
        case 'exists': return r.key;
        case '!': return `!${r.key}`;
        case 'in': return `${r.key} in (${vals})`;
        case 'notin': return `${r.key} notin (${vals})`;
        case 'gt': return `${r.key}>${vals}`;
        case 'lt': return `${r.key}<${vals}`;
        default: return `${r.key}${r.operator}${vals}`;
      }
    })
    .join(',');
}
