// `-o json` as kubectl writes it: json.MarshalIndent(obj, "", "    ") over an unstructured
// object, so map keys are sorted (Go's byte order) at every level, and Go's encoder
// escapes "<", ">", "&", U+2028 and U+2029 (e.g. "\u003cnone\u003e").
import { goCompare } from '../cluster/go-order.js';

const GO_HTML_ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

function goString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => GO_HTML_ESCAPES[c]!);
}

function encode(value: unknown, indent: string, out: string[]): void {
  if (value === null || value === undefined) {
    out.push('null');
  } else if (typeof value === 'string') {
    out.push(goString(value));
  } else if (typeof value === 'number' || typeof value === 'boolean') {
    out.push(JSON.stringify(value));
  } else if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push('[]');
      return;
    }
    const inner = indent + '    ';
    out.push('[\n');
    value.forEach((v, i) => {
      out.push(inner);
      encode(v, inner, out);
      out.push(i < value.length - 1 ? ',\n' : '\n');
    });
    out.push(indent + ']');
  } else if (typeof value === 'object') {
    const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined);
    if (keys.length === 0) {
      out.push('{}');
      return;
    }
    keys.sort(goCompare);
    const inner = indent + '    ';
    out.push('{\n');
    keys.forEach((k, i) => {
      out.push(`${inner}${goString(k)}: `);
      encode((value as Record<string, unknown>)[k], inner, out);
      out.push(i < keys.length - 1 ? ',\n' : '\n');
    });
    out.push(indent + '}');
  } else {
    out.push('null');
  }
}

/** The object as kubectl's JSON printer writes it, with the final newline. */
export function toKubectlJSON(value: unknown): string {
  const out: string[] = [];
  encode(value, '', out);
  return out.join('') + '\n';
}
