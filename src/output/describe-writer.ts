// kubectl describe's text builder: PrefixWriter (two spaces per level) into a tabwriter
// laid out with (minwidth 0, tabwidth 8, padding 2), plus the label and annotation blocks
// every describer prints. See describe.go: prefixWriter, tabbedString,
// printLabelsMultiline, printAnnotationsMultiline.
import { goCompare } from '../cluster/go-order.js';
import { DESCRIBE_LAYOUT, tabwrite } from './tabwriter.js';
import { escapeTerminal } from './terminal.js';

/** Annotations longer than this (key + value) print on their own lines, cut at this width. */
export const MAX_ANNOTATION_LEN = 140;

/** Annotations describe never shows. */
const SKIP_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration']);

export class DescribeWriter {
  private text = '';

  /** Writes `text` (which carries its own "\t" and "\n") indented by `level` × 2 spaces, escaped as WriteEscaped does. */
  write(level: number, text: string): void {
    this.text += escapeTerminal('  '.repeat(level) + text);
  }

  /** The aligned text. */
  toString(): string {
    return tabwrite(this.text, DESCRIBE_LAYOUT);
  }
}

/** "Title:\tk=v\n" then "\tk2=v2\n" for each further label (keys sorted), or "<none>". */
export function printLabelsMultiline(w: DescribeWriter, title: string, labels: Record<string, string> | null | undefined): void {
  w.write(0, `${title}:\t`);
  const keys = Object.keys(labels ?? {}).sort(goCompare);
  if (keys.length === 0) {
    w.write(0, '<none>\n');
    return;
  }
  keys.forEach((key, i) => {
    if (i !== 0) w.write(0, '\t');
    w.write(0, `${key}=${labels![key]}\n`);
  });
}

// Go measures and cuts these strings in bytes.
const byteLength = (s: string) => Buffer.byteLength(s, 'utf8');
const shorten = (s: string, max: number) =>
  byteLength(s) > max ? Buffer.from(s, 'utf8').subarray(0, max).toString('utf8') + '...' : s;

/** "Title:\tk: v\n" for each annotation (keys sorted); long or multi-line values on their own lines. */
export function printAnnotationsMultiline(w: DescribeWriter, title: string, annotations: Record<string, string> | null | undefined): void {
  w.write(0, `${title}:\t`);
  const keys = Object.keys(annotations ?? {})
    .filter((k) => !SKIP_ANNOTATIONS.has(k))
    .sort(goCompare);
  if (keys.length === 0) {
    w.write(0, '<none>\n');
    return;
  }
  keys.forEach((key, i) => {
    if (i !== 0) w.write(0, '\t');
    const value = annotations![key]!.replace(/\n$/, '');
    if (byteLength(value) + byteLength(key) + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      w.write(0, `${key}:\n`);
      for (const s of value.split('\n')) w.write(0, `\t  ${shorten(s, MAX_ANNOTATION_LEN - 2)}\n`);
    } else {
      w.write(0, `${key}: ${value}\n`);
    }
  });
}
