// kubectl explain's OpenAPI v2 output, which kubectl falls back to when a cluster does not
// serve /openapi/v3 (before Kubernetes 1.24, e.g. the walkthrough's OpenShift 4.3) or when
// asked with `--output plaintext-openapiv2`. A port of kube-openapi's pkg/util/proto model
// (document.go: how swagger definitions become Kind / Map / Array / Primitive / Arbitrary /
// Ref) and of kubectl's pkg/explain printers (model_printer.go, fields_printer.go,
// recursive_fields_printer.go, field_lookup.go, typename.go, formatter.go). Pure.
import { goCompare } from '../cluster/go-order.js';
import { isMap, type Schema as JsonSchema } from './render.js';
import { GO_SPACE } from './wordwrap.js';

type Node =
  | { kind: 'kind'; description: string; fields: Map<string, Node>; required: readonly string[] }
  | { kind: 'map'; description: string; sub: Node }
  | { kind: 'array'; description: string; sub: Node }
  | { kind: 'primitive'; description: string; type: string }
  | { kind: 'arbitrary'; description: string }
  | { kind: 'ref'; description: string; reference: string; target(): Node };

/** A swagger 2.0 document's definitions, parsed on demand (kube-openapi's proto.Definitions). */
export class SwaggerModels {
  private readonly parsed = new Map<string, Node>();
  constructor(private readonly definitions: Record<string, JsonSchema>) {}

  model(name: string): Node | undefined {
    let node = this.parsed.get(name);
    if (!node && this.definitions[name]) {
      node = this.parse(this.definitions[name]!, name);
      this.parsed.set(name, node);
    }
    return node;
  }

  /** The definition whose x-kubernetes-group-version-kind names this group, version and kind. */
  lookupResource(gvk: Gvk): Node | undefined {
    for (const [name, def] of Object.entries(this.definitions)) {
      const list = def['x-kubernetes-group-version-kind'];
      if (!Array.isArray(list)) continue;
      const hit = list.some((e) => isMap(e) && (e.group ?? '') === gvk.group && e.version === gvk.version && e.kind === gvk.kind);
      if (hit) return this.model(name);
    }
    return undefined;
  }

  private parse(s: JsonSchema, path: string): Node {
    const description = typeof s.description === 'string' ? s.description : '';
    const ref = s.$ref;
    if (typeof ref === 'string' && ref !== '') {
      if (!ref.startsWith('#/definitions/')) throw new Error(`SchemaError(${path}): unallowed reference to non-definition "${ref}"`);
      const reference = ref.slice('#/definitions/'.length);
      if (!this.definitions[reference]) throw new Error(`SchemaError(${path}): unknown model in reference: "${reference}"`);
      return { kind: 'ref', description, reference, target: () => this.model(reference)! };
    }
    const types = s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
    const hasProperties = isMap(s.properties);
    if (types.length === 0) return hasProperties ? this.parseKind(s, path, description) : { kind: 'arbitrary', description };
    if (types.length > 1) throw new Error(`SchemaError(${path}): definitions with multiple types aren't supported`);
    const type = String(types[0]);
    if (type === 'object') {
      if (hasProperties) return this.parseKind(s, path, description);
      const extra = s.additionalProperties;
      const sub: Node = isMap(extra) ? this.parse(extra, path) : { kind: 'arbitrary', description };
      return { kind: 'map', description, sub };
    }
    if (type === 'array') {
      const items = Array.isArray(s.items) ? s.items : s.items === undefined ? [] : [s.items];
      if (items.length !== 1 || !isMap(items[0])) throw new Error(`SchemaError(${path}): array should have exactly one sub-item`);
      return { kind: 'array', description, sub: this.parse(items[0] as JsonSchema, path) };
    }
    if (!['string', 'number', 'integer', 'boolean'].includes(type)) throw new Error(`SchemaError(${path}): Unknown primitive type: "${type}"`);
    return { kind: 'primitive', description, type };
  }

  private parseKind(s: JsonSchema, path: string, description: string): Node {
    const fields = new Map<string, Node>();
    for (const [name, value] of Object.entries(s.properties as JsonSchema)) {
      if (isMap(value)) fields.set(name, this.parse(value, `${path}.${name}`));
    }
    const required = Array.isArray(s.required) ? s.required.filter((r): r is string => typeof r === 'string') : [];
    return { kind: 'kind', description, fields, required };
  }
}

export interface Gvk {
  group: string;
  version: string;
  kind: string;
}

/** GroupVersionKind.String(), as kubectl's errors print it: "/v1, Kind=Service". */
export const gvkString = (gvk: Gvk) => `${gvk.group}/${gvk.version}, Kind=${gvk.kind}`;

/** An error kubectl prints after "error: ". */
export class ExplainV2Error extends Error {}

/** explain.PrintModelDescription: the text for `fieldPath` of the resource `gvk`. */
export function printModelDescriptionV2(models: SwaggerModels, gvk: Gvk, fieldPath: readonly string[], recursive: boolean): string {
  const root = models.lookupResource(gvk);
  if (!root) throw new ExplainV2Error(`couldn't find resource for "${gvkString(gvk)}"`);
  const name = fieldPath.length > 0 ? fieldPath[fieldPath.length - 1]! : '';
  const schema = lookupSchemaForField(root, fieldPath);
  const out: string[] = [];
  printModel(name, new Formatter(out, 0, 80), recursive, schema, gvk);
  return out.join('');
}

// ---- field_lookup.go --------------------------------------------------------------------

function lookupSchemaForField(schema: Node, path: readonly string[]): Node {
  let rest = [...path];
  let node = schema;
  for (;;) {
    if (node.kind === 'primitive' || node.kind === 'arbitrary') return node; // even with path left
    if (rest.length === 0) return node;
    if (node.kind === 'kind') {
      const sub = node.fields.get(rest[0]!);
      if (!sub) throw new ExplainV2Error(`field "${rest[0]}" does not exist`);
      rest = rest.slice(1);
      node = sub;
    } else if (node.kind === 'ref') {
      node = node.target();
    } else {
      node = node.sub; // arrays and maps pass through
    }
  }
}

// ---- typename.go ------------------------------------------------------------------------

function typeName(node: Node): string {
  switch (node.kind) {
    case 'array':
      return `[]${typeName(node.sub)}`;
    case 'map':
      return `map[string]${typeName(node.sub)}`;
    case 'kind':
      return 'Object';
    case 'primitive':
      return node.type;
    case 'ref':
      return typeName(node.target());
    case 'arbitrary':
      return ''; // the type visitor has no VisitArbitrary
  }
}

// ---- formatter.go -----------------------------------------------------------------------

class Formatter {
  constructor(
    private readonly out: string[],
    private readonly indentLevel: number,
    private readonly wrap: number,
  ) {}

  indent(n: number): Formatter {
    return new Formatter(this.out, this.indentLevel + n, this.wrap);
  }

  /** One line at this indent; an empty line is not indented. */
  write(text: string): void {
    this.out.push(text === '' ? '\n' : `${' '.repeat(this.indentLevel)}${text}\n`);
  }

  writeWrapped(text: string): void {
    if (this.wrap === 0) return this.write(text);
    for (const line of wrapLines(text, this.wrap - this.indentLevel)) this.write(line);
  }
}

/** Go's regexp `^(\d+\.?|-|\*)\s`: RE2's \d and \s are ASCII. */
const BULLET = /^([0-9]+\.?|-|\*)[\t\n\f\r ]/;
/** strings.Fields and strings.TrimSpace: Go's unicode.IsSpace. */
const SPACE_CLASS = `[${GO_SPACE.map((c) => `\\u${c.toString(16).padStart(4, '0')}`).join('')}]`;
const FIELDS = new RegExp(`${SPACE_CLASS}+`);
const TRIM = new RegExp(`^${SPACE_CLASS}+|${SPACE_CLASS}+$`, 'g');
const byteLength = (s: string) => Buffer.byteLength(s, 'utf8'); // Go's len() of a string

function shouldStartNewLine(lastWord: string, text: string): boolean {
  if (lastWord.endsWith(':')) return true; // line breaks after a colon are kept
  if (text.startsWith('    ')) return true; // code blocks
  const trimmed = text.replace(TRIM, '');
  return trimmed.length === 0 || BULLET.test(trimmed);
}

/** formatter.go wrapString: words rejoined up to `wrap` bytes, keeping code blocks, blank lines, lists. */
function wrapLines(text: string, wrap: number): string[] {
  const wrapped: string[] = [];
  let words: string[] = [];
  let lastWord = '';
  const flush = () => {
    if (words.length > 0) {
      lastWord = '';
      wrapped.push(words.join(' '));
      words = [];
    }
  };
  for (const line of text.split('\n')) {
    if (line.startsWith('    ')) {
      flush();
      wrapped.push(line);
      continue;
    }
    if (wrapped.length > 0 && line.replace(TRIM, '').length === 0) {
      flush();
      wrapped.push('');
      continue;
    }
    if (shouldStartNewLine(lastWord, line)) flush();
    for (const word of line.split(FIELDS).filter((w) => w !== '')) {
      lastWord = word;
      if (words.length > 0 && byteLength([...words, word].join(' ')) > wrap) flush();
      words.push(word);
    }
  }
  flush();
  return wrapped;
}

// ---- model_printer.go, fields_printer.go, recursive_fields_printer.go --------------------

const FIELD_INDENT = 3;
const DESCRIPTION_INDENT = 5;
const FIELD_DESCRIPTION_INDENT = 2;
const RECURSIVE_INDENT = 3;

function printModel(name: string, w: Formatter, recursive: boolean, schema: Node, gvk: Gvk): void {
  const descriptions: string[] = [];
  let type = '';
  const kindAndVersion = () => {
    w.write(`KIND:     ${gvk.kind}`);
    w.write(`VERSION:  ${gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version}\n`);
  };
  const printDescription = (own: string) => {
    w.write('DESCRIPTION:');
    let empty = true;
    [...descriptions, own].forEach((desc, i) => {
      if (desc === '') return;
      empty = false;
      if (i !== 0) w.write('');
      w.indent(DESCRIPTION_INDENT).writeWrapped(desc);
    });
    if (empty) w.indent(DESCRIPTION_INDENT).writeWrapped('<empty>');
  };

  let node = schema;
  for (;;) {
    switch (node.kind) {
      case 'array':
      case 'map':
        descriptions.push(node.description);
        if (type === '') type = typeName(node);
        node = node.sub;
        continue;
      case 'ref':
        descriptions.push(node.description);
        node = node.target();
        continue;
      case 'kind':
        kindAndVersion();
        if (type === '') type = typeName(node);
        if (name !== '') w.write(`RESOURCE: ${name} <${type}>\n`);
        printDescription(node.description);
        w.write('\nFIELDS:');
        if (recursive) printFieldsRecursive(w.indent(FIELD_INDENT), node, new Set());
        else printFields(w.indent(FIELD_INDENT), node);
        return;
      case 'primitive':
        kindAndVersion();
        if (type === '') type = typeName(node);
        w.write(`FIELD:    ${name} <${type}>\n`);
        printDescription(node.description);
        return;
      case 'arbitrary':
        kindAndVersion();
        printDescription(node.description);
        return;
    }
  }
}

/** The Kind a field printer reaches through arrays, maps and references, if any. */
function kindBelow(node: Node, visit?: (reference: string) => boolean): Extract<Node, { kind: 'kind' }> | undefined {
  for (;;) {
    if (node.kind === 'kind') return node;
    if (node.kind === 'array' || node.kind === 'map') node = node.sub;
    else if (node.kind === 'ref') {
      if (visit && !visit(node.reference)) return undefined;
      node = node.target();
    } else return undefined;
  }
}

/** regularFieldsPrinter: each field (sorted by name) with its type, -required- and description. */
function printFields(w: Formatter, node: Node): void {
  const k = kindBelow(node);
  if (!k) return;
  for (const key of [...k.fields.keys()].sort(goCompare)) {
    const v = k.fields.get(key)!;
    const required = k.required.includes(key) ? ' -required-' : '';
    w.write(`${key}\t<${typeName(v)}>${required}`);
    w.indent(FIELD_DESCRIPTION_INDENT).writeWrapped(v.description);
    w.write('');
  }
}

/** recursiveFieldsPrinter: field names and types, pre-order, a reference not re-entered on its own path. */
function printFieldsRecursive(w: Formatter, node: Node, visiting: Set<string>): void {
  const entered: string[] = [];
  const k = kindBelow(node, (reference) => {
    if (visiting.has(reference)) return false;
    visiting.add(reference);
    entered.push(reference);
    return true;
  });
  if (k) {
    for (const key of [...k.fields.keys()].sort(goCompare)) {
      const v = k.fields.get(key)!;
      w.write(`${key}\t<${typeName(v)}>`);
      printFieldsRecursive(w.indent(RECURSIVE_INDENT), v, visiting);
    }
  }
  for (const reference of entered) visiting.delete(reference);
}
