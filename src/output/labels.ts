// Label maps as kubectl writes them in table cells (SELECTOR, LABELS columns).

type LabelMap = Record<string, string> | null | undefined;

/** Go's sort.Strings order: byte order of the UTF-8 text (code points, not UTF-16 units). */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return Buffer.compare(ab, bb);
}

/**
 * labels.FormatLabels: "k=v" pairs joined by ",", or "<none>". Go sorts the joined
 * "k=v" strings, not the keys: "a.b=y" comes before "a=x".
 */
export function formatLabels(labels: LabelMap): string {
  const pairs = Object.entries(labels ?? {}).map(([k, v]) => `${k}=${v}`);
  if (pairs.length === 0) return '<none>';
  return pairs.sort(compareStrings).join(',');
}
