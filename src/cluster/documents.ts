// Reads the text of one file (or stdin) into documents, as kubectl's YAMLOrJSONDecoder does:
// a JSON stream when the text starts with "{", else a YAML stream split on "---". Each document
// keeps where it came from, so any later error can name the file, the document and the line.
// Pure: the caller reads the bytes.
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Document, type Node } from 'yaml';
import { InputError } from '../errors.js';
import { loadYaml, YamlSyntaxError } from './go-yaml-schema.js';

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

/** Splits `text` into documents. Throws InputError on a syntax error, naming file, document, line. */
export function parseDocuments(source: string, text: string): SourceDocument[] {
  const body = text.replace(/^\uFEFF/, '');
  return /^\s*\{/.test(body) ? parseJsonStream(source, body) : parseYamlStream(source, body);
}

// Speed matters here (a `kubectl get -A -o yaml` dump can be tens of megabytes): js-yaml reads
// each document with go-yaml's scalar rules; positions are only needed for an error message,
// and then the document alone is parsed again with the `yaml` package, which keeps them.

/** A "---" or "..." line at column 0 always ends a document, even inside a block scalar (YAML's c-forbidden). */
const DOCUMENT_MARKER = /^(?:---|\.\.\.)(?=[ \t\r]|$)/;

interface Chunk {
  /** The document's text, starting with its "---" line when it has one. */
  text: string;
  /** 1-based line of the chunk's first line in the file. */
  line: number;
}

function splitYamlDocuments(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  const lines = text.split('\n');
  let current: string[] = [];
  let startLine = 1;
  const flush = (nextLine: number) => {
    chunks.push({ text: current.join('\n'), line: startLine });
    current = [];
    startLine = nextLine;
  };
  lines.forEach((line, i) => {
    if (line.startsWith('---') && DOCUMENT_MARKER.test(line)) flush(i + 1);
    if (line.startsWith('...') && DOCUMENT_MARKER.test(line)) {
      current.push(line);
      flush(i + 2);
      return;
    }
    current.push(line);
  });
  flush(lines.length + 1);
  // Text not opened by "---" (before the first one, or after a "...") is a document only when it
  // holds more than blank lines, comments, directives and end markers.
  const isEmptyText = (c: Chunk) => c.text.split('\n').every((l) => /^\s*(#.*)?$/.test(l) || l.startsWith('%') || DOCUMENT_MARKER.test(l));
  return chunks.filter((c) => c.text.startsWith('---') || !isEmptyText(c));
}

function parseYamlStream(source: string, text: string): SourceDocument[] {
  return splitYamlDocuments(text).map((chunk, i) => {
    const index = i + 1;
    let value: unknown;
    try {
      value = loadYaml(chunk.text);
    } catch (e) {
      if (!(e instanceof YamlSyntaxError)) throw e;
      const line = chunk.line + (e.line ?? 1) - 1;
      throw new InputError(`${source}: document ${index}, line ${line}: YAML syntax error: ${e.reason}`);
    }
    return { source, index, value: value ?? null, lineOf: lineLocator(chunk.text, chunk.line) };
  });
}

/**
 * lineOf for a document whose text starts at line `firstLine` of its file. Positions are only
 * needed for an error message: the `yaml` package parses the (valid) text for them then.
 */
function lineLocator(text: string, firstLine: number): (path?: Path) => number {
  let positions: { doc: Document; lines: LineCounter } | undefined;
  return (path = []) => {
    if (!positions) {
      const lines = new LineCounter();
      positions = { doc: parseDocument(text, { lineCounter: lines, prettyErrors: false }), lines };
    }
    return firstLine + positions.lines.linePos(offsetOf(positions.doc, path)).line - 1;
  };
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
    // JSON is YAML: the same locator finds positions in it.
    return { source, index, value, lineOf: lineLocator(chunk, lineAt(start)) };
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
