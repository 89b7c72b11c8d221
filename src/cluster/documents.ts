// Reads the text of one file (or stdin) into documents, as kubectl's YAMLOrJSONDecoder does:
// a JSON stream when the text starts with "{", else a YAML stream split on "---". Each document
// keeps where it came from, so any later error can name the file, the document and the line.
// Pure: the caller reads the bytes.
import { LineCounter, parseAllDocuments, parseDocument, isMap, isSeq, isScalar, type Document, type Node } from 'yaml';
import type { Tags } from 'yaml';
import { InputError } from '../errors.js';

export type Path = readonly (string | number)[];

export interface SourceDocument {
  /** The file name as given on the command line, "STDIN", or the demo file's name. */
  source: string;
  /** 1-based position in the stream, counting empty documents, as a reader counts "---". */
  index: number;
  /** The document as plain data (objects, arrays, strings, numbers, booleans, null). */
  value: unknown;
  /** 1-based line of the value at `path`, or of its nearest ancestor that exists. */
  lineOf(path?: Path): number;
}

/** "services.yaml: document 2, line 14" */
export function where(doc: SourceDocument, path: Path = []): string {
  return `${doc.source}: document ${doc.index}, line ${doc.lineOf(path)}`;
}

/** An InputError naming the file, document and line of `path`. */
export function documentError(doc: SourceDocument, path: Path, message: string): InputError {
  return new InputError(`${where(doc, path)}: ${message}`);
}

// sigs.k8s.io/yaml (go-yaml v2, YAML 1.1) reads `yes`/`on` as booleans and 0755 as octal, but
// leaves timestamps as strings and knows no base-60 numbers ("8080:80" stays a string).
const goYamlTags = (tags: Tags) =>
  tags.filter((t) => typeof t === 'string' || (t.tag !== 'tag:yaml.org,2002:timestamp' && t.format !== 'TIME'));

const YAML_OPTIONS = { version: '1.1', customTags: goYamlTags, merge: true, uniqueKeys: false } as const;

/** Splits `text` into documents. Throws InputError on a syntax error, naming file, document, line. */
export function parseDocuments(source: string, text: string): SourceDocument[] {
  const body = text.replace(/^\uFEFF/, '');
  return /^\s*\{/.test(body) ? parseJsonStream(source, body) : parseYamlStream(source, body);
}

function parseYamlStream(source: string, text: string): SourceDocument[] {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { ...YAML_OPTIONS, lineCounter: lines });
  const list = Array.isArray(docs) ? docs : [];
  return list.map((doc, i) => {
    const index = i + 1;
    const err = doc.errors[0];
    if (err) {
      const line = err.linePos?.[0]?.line ?? lines.linePos(doc.range[0]).line;
      throw new InputError(`${source}: document ${index}, line ${line}: YAML syntax error: ${yamlMessage(err.message)}`);
    }
    const value = doc.toJS({ maxAliasCount: 1000 }) as unknown;
    return {
      source,
      index,
      value: value ?? null,
      lineOf: (path: Path = []) => lines.linePos(offsetOf(doc, path)).line,
    };
  });
}

/** yaml's messages end with " at line L, column C:" and a code excerpt; keep the sentence. */
export function yamlMessage(message: string): string {
  const cut = message.search(/ at line \d+, column \d+/);
  return (cut >= 0 ? message.slice(0, cut) : message.split('\n')[0]!).trim();
}

/** Start offset of the node at `path`, or of the deepest ancestor found; a map entry starts at its key. */
function offsetOf(doc: Document, path: Path): number {
  let node: unknown = doc.contents;
  let offset = firstContentOffset(doc);
  for (const step of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(step));
      if (!pair) break;
      const keyRange = (pair.key as Node | null)?.range;
      if (keyRange) offset = keyRange[0];
      node = pair.value;
    } else if (isSeq(node) && typeof step === 'number') {
      const item = node.items[step] as Node | undefined;
      if (!item?.range) break;
      offset = item.range[0];
      node = item;
    } else {
      break;
    }
  }
  return offset;
}

function firstContentOffset(doc: Document): number {
  const range = (doc.contents as Node | null)?.range;
  return range ? range[0] : (doc.range?.[0] ?? 0);
}

// ---- JSON streams ----

function parseJsonStream(source: string, text: string): SourceDocument[] {
  const lineStarts = lineStartOffsets(text);
  const lineAt = (offset: number) => upperBound(lineStarts, offset);
  return splitJsonValues(text).map(({ start, end }, i) => {
    const index = i + 1;
    const chunk = text.slice(start, end);
    let value: unknown;
    try {
      value = JSON.parse(chunk);
    } catch (e) {
      const msg = (e as Error).message;
      const m = / at position (\d+)/.exec(msg);
      const line = lineAt(m ? start + Number(m[1]) : end - 1);
      const sentence = msg.replace(/ in JSON at position \d+.*$/, '').replace(/ at position \d+.*$/, '');
      throw new InputError(`${source}: document ${index}, line ${line}: JSON syntax error: ${sentence}`);
    }
    let positions: { doc: Document; lines: LineCounter } | null = null;
    return {
      source,
      index,
      value,
      lineOf: (path: Path = []) => {
        // Positions are only needed for an error message: parse the (valid) JSON as YAML then.
        if (!positions) {
          const lines = new LineCounter();
          positions = { doc: parseDocument(chunk, { lineCounter: lines }), lines };
        }
        return lineAt(start) + positions.lines.linePos(offsetOf(positions.doc, path)).line - 1;
      },
    };
  });
}

/** Offsets of top-level JSON values in a stream such as `{...}\n{...}`. */
function splitJsonValues(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && /\s/.test(text[i]!)) i++;
    if (i >= n) break;
    const start = i;
    if (text[i] !== '{' && text[i] !== '[') {
      out.push({ start, end: n }); // not a JSON value: JSON.parse reports it
      break;
    }
    let depth = 0;
    let inString = false;
    for (; i < n; i++) {
      const c = text[i]!;
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) {
          i++;
          break;
        }
      }
    }
    out.push({ start, end: i });
  }
  return out;
}

function lineStartOffsets(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

/** 1-based line holding `offset`. */
function upperBound(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid]! <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
