// Label maps as kubectl writes them in table cells (SELECTOR, LABELS columns).
import { goCompare } from '../cluster/go-order.js';

type LabelMap = Record<string, string> | null | undefined;


/**
 * labels.FormatLabels: "k=v" pairs joined by ",", or "<none>". Go sorts the joined
 * "k=v" strings, not the keys: "a.b=y" comes before "a=x".
 */
export function formatLabels(labels: LabelMap): string {
  const pairs = Object.entries(labels ?? {}).map(([k, v]) => `${k}=${v}`);
  if (pairs.length === 0) return '<none>';
  return pairs.sort(goCompare).join(',');
}
