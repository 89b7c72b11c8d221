// kubectl explain's plaintext output: a port of kubectl's OpenAPI v3 template
// (staging/src/k8s.io/kubectl/pkg/explain/v2/templates/plaintext.tmpl) and the template
// functions it uses (explain/v2/funcs.go). Each Go sub-template is one function below with
// the same name, and keeps its quirks: Go template truthiness (an empty map or list is
// false), map keys visited in sorted order, the ref history that stops cycles, and every
// newline the template writes. The input is one OpenAPI v3 group-version document, as a
// cluster serves it at /openapi/v3/<group-version> or as the build generates it offline.
import { goCompare } from '../cluster/go-order.js';
import { wrapString } from './wordwrap.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Schema = { [key: string]: Json };

/** An OpenAPI v3 document: `paths` (for the resource's GVK) and `components.schemas`. */
export type OpenApiDoc = Schema;

export interface Gvr {
  group: string;
  version: string;
  /** The plural resource name, e.g. "services". */
  resource: string;
}

export interface RenderOptions {
  recursive: boolean;
}

/** What the template `throw`s: kubectl prints the message (which starts with "error: "). */
export class TemplateError extends Error {}

// ---- Tables --------------------------------------------------------------------------

/** The operations searched, in order, for the resource's x-kubernetes-group-version-kind. */
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** Field lines show at most this many enum values, then ", ....". */
const SHORT_ENUM_LIMIT = 4;

/** DESCRIPTION blocks wrap here; a field's description wraps at FIELD_WRAP minus its indent. */
const DESCRIPTION_WRAP = 76;
const FIELD_WRAP = 78;

// ---- Go template semantics -----------------------------------------------------------

/** Go template truth: false, 0, "", nil and empty maps and lists are false. */
function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

export function isMap(v: unknown): v is Schema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `index m key` on a map decoded from JSON: undefined when m is not a map. */
function at(m: unknown, key: string): Json | undefined {
  return isMap(m) ? m[key] : undefined;
}

/** funcs.go `indent`: pads the first line and every line after a newline. */
function indent(amount: number, s: string): string {
  const pad = ' '.repeat(Math.max(0, amount));
  return pad + s.split('\n').join('\n' + pad);
}

/** funcs.go `wrap`. */
function wrap(limit: number, s: string): string {
  return wrapString(s, limit);
}

/** How Go's fmt prints a value decoded from JSON (strings bare, numbers as float64 %v). */
function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<no value>';
  if (typeof v === 'number') return goFloat(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  const m = v as Record<string, unknown>;
  return `map[${Object.keys(m)
    .sort(goCompare)
    .map((k) => `${k}:${goValue(m[k])}`)
    .join(' ')}]`;
}

/** fmt's %v for a float64 ('g', shortest): an exponent from 1e+06 up and below 1e-04. */
function goFloat(f: number): string {
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : f < 0 ? '-Inf' : 'NaN';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mantissa, expText] = f.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return String(f);
}

/** funcs.go `resolveRef`: a "#/a/b" reference inside the document, else undefined. */
function resolveRef(ref: unknown, doc: unknown): Schema | undefined {
  if (typeof ref !== 'string') return undefined;
  const hash = ref.indexOf('#');
  // Only fragment-only references resolve; anything with a path, query or host is "remote".
  if (hash !== 0 || ref.length < 2) return undefined;
  let fragment: string;
  try {
    fragment = decodeURIComponent(ref.slice(1));
  } catch {
    return undefined;
  }
  let cur: unknown = doc;
  for (const k of fragment.split('/')) {
    if (k === '') continue;
    const next = at(cur, k);
    if (!isMap(next)) return undefined;
    cur = next;
  }
  return isMap(cur) ? cur : undefined;
}

/** A map-valued additionalProperties (not `true`/`false`). */
function mapValues(schema: Schema): Json | undefined {
  const ap = schema.additionalProperties;
  return truthy(ap) && typeof ap !== 'boolean' ? ap : undefined;
}

function sortedKeys(m: unknown): string[] {
  return isMap(m) ? Object.keys(m).sort(goCompare) : []; // Go templates range over map keys in byte order
}

function list(v: unknown): Json[] {
  return Array.isArray(v) ? v : [];
}

function refOf(schema: unknown): string {
  const r = at(schema, '$ref');
  return typeof r === 'string' ? r : '';
}

/** The template's `contains`: a list element deeply equal to the value. */
function contains(haystack: unknown, needle: unknown): boolean {
  return Array.isArray(haystack) && haystack.some((x) => deepEqual(x, needle));
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

// ---- The template --------------------------------------------------------------------

/** The GVR as Go prints it: "group/version, Resource=resource" ("/v1, ..." for core). */
export function gvrString(gvr: Gvr): string {
  return `${gvr.group}/${gvr.version}, Resource=${gvr.resource}`;
}

/**
 * The whole explain text for a resource (and a field path inside it). Throws TemplateError
 * with kubectl's message when the resource, its kind or the field is not in the document.
 */
export function renderExplain(doc: OpenApiDoc, gvr: Gvr, fieldPath: readonly string[], opts: RenderOptions): string {
  const gvk = findGvk(doc, gvr);
  if (!truthy(gvk)) throw new TemplateError(`error: GVR (${gvrString(gvr)}) not found in OpenAPI schema`);
  let out = '';
  if (truthy(at(gvk, 'group'))) out += `GROUP:      ${goValue(at(gvk, 'group'))}\n`;
  out += `KIND:       ${goValue(at(gvk, 'kind'))}\n`;
  out += `VERSION:    ${goValue(at(gvk, 'version'))}\n`;
  out += '\n';
  const body = schemaFor(doc, gvk, fieldPath, opts.recursive);
  if (!body) throw new TemplateError(`error: GVK ${goValue(gvk)} not found in OpenAPI schema`);
  return out + body + '\n';
}

/**
 * The GVK of the resource's operations, from the list and item paths, cluster-scoped first.
 * Like the template, a later path that has an operation overwrites what an earlier one found.
 */
function findGvk(doc: OpenApiDoc, gvr: Gvr): Json | undefined {
  const prefix = gvr.group ? `/apis/${gvr.group}` : '/api';
  const searchPaths = [
    [prefix, gvr.version, gvr.resource].join('/'),
    [prefix, gvr.version, gvr.resource, '{name}'].join('/'),
    [prefix, gvr.version, 'namespaces', '{namespace}', gvr.resource].join('/'),
    [prefix, gvr.version, 'namespaces', '{namespace}', gvr.resource, '{name}'].join('/'),
  ];
  let gvk: Json | undefined;
  for (const p of searchPaths) {
    const element = at(at(doc, 'paths'), p);
    if (!truthy(element)) continue;
    for (const method of METHODS) {
      const op = at(element, method);
      if (!truthy(op)) continue;
      gvk = at(op, 'x-kubernetes-group-version-kind');
      if (truthy(gvk)) break;
    }
  }
  return gvk;
}

/** "schema": the first component (by name) whose x-kubernetes-group-version-kind has the GVK. */
function schemaFor(doc: OpenApiDoc, gvk: Json | undefined, fieldPath: readonly string[], recursive: boolean): string {
  const schemas = at(at(doc, 'components'), 'schemas');
  for (const name of sortedKeys(schemas)) {
    const schema = at(schemas, name);
    if (!contains(at(schema, 'x-kubernetes-group-version-kind'), gvk)) continue;
    const out = output({ doc, schema: schema as Json, history: {}, fieldPath, recursive });
    if (!out) throw new TemplateError(`error: field "${fieldPath[fieldPath.length - 1]}" does not exist`);
    return out;
  }
  return '';
}

interface OutputContext {
  doc: OpenApiDoc;
  schema: Json;
  history: Record<string, true>;
  fieldPath: readonly string[];
  recursive: boolean;
}

/** "output": follows the field path, then prints FIELD/DESCRIPTION/FIELDS; '' when not found. */
function output(ctx: OutputContext): string {
  const ref = refOf(ctx.schema);
  const next: OutputContext = { ...ctx, history: { ...ctx.history, [ref]: true } };
  const resolved: Json = resolveRef(ref, ctx.doc) ?? ctx.schema;
  const { doc, fieldPath, recursive } = ctx;

  if (fieldPath.length === 0) {
    let out = 'DESCRIPTION:\n';
    out += indent(4, wrap(DESCRIPTION_WRAP, description(resolved, doc) || '<empty>')) + '\n';
    const docs = externalDocs(resolved);
    if (docs) out += '\n' + docs;
    const fields = fieldList({ doc, schema: resolved, level: 1, history: {}, recursive });
    if (fields) out += 'FIELDS:\n' + fields;
    return out;
  }
  if (ref && ctx.history[ref]) return ''; // a cycle
  const [first, ...rest] = fieldPath;
  const properties = at(resolved, 'properties');
  const sub = at(properties, first!);
  if (truthy(properties) && truthy(sub)) {
    let out = '';
    if (fieldPath.length === 1) {
      out += `FIELD: ${first} <${typeGuess(sub!, doc)}>\n`;
      out += extractEnum(sub!, { long: true, limit: -1, indentAmount: 0 }) + '\n';
      out += '\n';
    }
    return out + output({ ...next, history: {}, fieldPath: rest, schema: sub! });
  }
  const items = at(resolved, 'items');
  if (truthy(items)) return output({ ...next, schema: items! });
  const values = isMap(resolved) ? mapValues(resolved) : undefined;
  if (values !== undefined) return output({ ...next, schema: values });
  for (const alternative of list(at(resolved, 'allOf'))) {
    const out = output({ ...next, schema: alternative });
    if (out) return out;
  }
  return '';
}

interface FieldListContext {
  doc: OpenApiDoc;
  schema: Json;
  level: number;
  history: Record<string, true>;
  recursive: boolean;
}

/** "fieldList": the fields of a schema, sorted, and (recursive) their fields, stopping at cycles. */
function fieldList(ctx: FieldListContext): string {
  const ref = refOf(ctx.schema);
  if (ref && ctx.history[ref]) return '';
  const next: FieldListContext = { ...ctx, history: { ...ctx.history, [ref]: true } };
  const resolved: Json = resolveRef(ref, ctx.doc) ?? ctx.schema;
  const properties = at(resolved, 'properties');
  let out = '';
  for (const name of sortedKeys(properties)) {
    out += fieldDetail({ doc: ctx.doc, schema: resolved, name, short: ctx.recursive, level: ctx.level });
    if (ctx.recursive) out += fieldList({ ...next, schema: at(properties, name)!, level: ctx.level + 1 });
  }
  for (const alternative of list(at(resolved, 'allOf'))) out += fieldList({ ...next, schema: alternative });
  const items = at(resolved, 'items');
  if (truthy(items)) out += fieldList({ ...next, schema: items! });
  const values = isMap(resolved) ? mapValues(resolved) : undefined;
  if (values !== undefined) out += fieldList({ ...next, schema: values });
  return out;
}

export interface FieldDetailContext {
  doc?: OpenApiDoc;
  /** The schema that holds the field (its `properties` and `required`). */
  schema: Json;
  name: string;
  /** One line per field, no description (--recursive). */
  short: boolean;
  level?: number;
}

/** "fieldDetail": `name<TAB><type> -required-`, a short enum line, then the description. */
export function fieldDetail(ctx: FieldDetailContext): string {
  const level = ctx.level ?? 0;
  const indentAmount = level * 2;
  const field = at(at(ctx.schema, 'properties'), ctx.name);
  let out = indent(indentAmount, ctx.name) + `\t<${typeGuess(field, ctx.doc)}>`;
  if (contains(at(ctx.schema, 'required'), ctx.name)) out += ' -required-';
  out += extractEnum(field, { long: false, limit: SHORT_ENUM_LIMIT, indentAmount });
  out += '\n';
  if (!ctx.short) {
    const text = at(field, 'description');
    out += indent(indentAmount + 2, wrap(FIELD_WRAP - indentAmount, truthy(text) ? goValue(text) : '<no description>')) + '\n';
    const docs = at(field, 'externalDocs');
    if (truthy(docs)) {
      out += '\n' + indent(indentAmount + 2, 'EXTERNAL DOCS:') + '\n';
      const docText = at(docs, 'description');
      if (truthy(docText)) out += indent(indentAmount + 4, wrap(DESCRIPTION_WRAP - indentAmount, goValue(docText))) + '\n';
      const url = at(docs, 'url');
      if (truthy(url)) out += indent(indentAmount + 4, 'URL: ' + goValue(url)) + '\n';
    }
    out += '\n';
  }
  return out;
}

/** "description": the schema's description, then those of its allOf, items and map values. */
function description(schema: Json | undefined, doc?: OpenApiDoc): string {
  const s: Json | undefined = resolveRef(at(schema, '$ref'), doc) ?? schema;
  if (!truthy(s)) return '';
  let out = '';
  const text = at(s, 'description');
  if (truthy(text)) out += goValue(text) + '\n';
  for (const alternative of list(at(s, 'allOf'))) out += description(alternative, doc);
  const items = at(s, 'items');
  if (truthy(items)) out += description(items, doc);
  const values = isMap(s) ? mapValues(s) : undefined;
  if (values !== undefined) out += description(values, doc);
  return out;
}

/** "externalDocs": the EXTERNAL DOCS block of a resource or field, '' when it has none. */
function externalDocs(schema: Json): string {
  const docs = at(schema, 'externalDocs');
  if (!truthy(docs)) return '';
  let out = 'EXTERNAL DOCS:\n';
  const text = at(docs, 'description');
  if (truthy(text)) out += indent(4, wrap(DESCRIPTION_WRAP, goValue(text))) + '\n';
  const url = at(docs, 'url');
  if (truthy(url)) out += indent(4, 'URL: ' + goValue(url)) + '\n';
  return out;
}

/**
 * "typeGuess": `[]T` for arrays, `map[string]T` for maps, a single allOf's type, the last
 * name segment of a $ref to an object (or untyped) schema, the primitive a $ref points to,
 * `Object` for objects and when nothing is known, else the JSON type.
 */
export function typeGuess(schema: Json | undefined, doc?: OpenApiDoc): string {
  // kubectl fails on an empty schema ("expected schema argument"); nothing is known: Object.
  if (!truthy(schema) || !isMap(schema)) return 'Object';
  if (truthy(schema.items)) return '[]' + typeGuess(schema.items, doc);
  const values = mapValues(schema);
  if (values !== undefined) return 'map[string]' + typeGuess(values, doc);
  const allOf = list(schema.allOf);
  if (truthy(schema.allOf) && !truthy(schema.properties) && allOf.length === 1) return typeGuess(allOf[0], doc);
  if (truthy(schema.$ref)) {
    const ref = goValue(schema.$ref);
    const target = resolveRef(ref, doc);
    if (!truthy(target) || !truthy(target!.type) || target!.type === 'object') {
      const name = ref.split('/').pop()!;
      return name.split('.').pop() || 'Object';
    }
    return goValue(target!.type);
  }
  if (schema.type === 'object') return 'Object';
  return truthy(schema.type) ? goValue(schema.type) : 'Object';
}

export interface EnumStyle {
  /** FIELD view: "ENUM:" then one value per line; field lines: "enum: a, b, c, d, ....". */
  long: boolean;
  /** Values shown before ", ...."; -1 (or 0) for all. */
  limit: number;
  /** Indent of the short "enum:" line. */
  indentAmount: number;
}

/** "extractEnum": the schema's enum values ('' when it has none); "" shows as `""`. */
export function extractEnum(schema: Json | undefined, style: EnumStyle): string {
  const values = at(schema, 'enum');
  if (!truthy(values) || !Array.isArray(values)) return '';
  const limit = style.limit || -1;
  let out = style.long ? 'ENUM:' : '\n' + indent(style.indentAmount, '') + 'enum: ';
  for (const [i, value] of values.entries()) {
    if (limit > -1 && i >= limit) {
      out += ', ....';
      break;
    }
    if (i > 0 && !style.long) out += ', ';
    else if (style.long) out += '\n' + indent(4, '');
    out += value === '' ? '""' : goValue(value);
  }
  return out;
}
