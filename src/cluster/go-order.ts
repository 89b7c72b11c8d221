// Go's string order (sort.Strings, <): the byte order of the UTF-8 text, not the locale's.
// Kubernetes, kubectl and kube-proxy sort names, labels, addresses and files with it, and
// svctrace's output must neither depend on the user's locale nor differ from theirs. Here,
// in the earliest stage, so every stage and the presenter share one definition.
//
// JavaScript's < compares UTF-16 code units, which order like UTF-8 bytes (code points) below
// U+D800 but not beyond: a surrogate pair (above U+FFFF) sorts below U+E000-U+FFFF in UTF-16,
// above in UTF-8. So < is used when neither string has a unit from U+D800 up (all ASCII, and
// the render's hot path: names, IPs, "ip:port"), and the UTF-8 bytes are compared otherwise (a
// lone surrogate encodes as U+FFFD there, as Go decodes one from JSON).

const WIDE = /[\uD800-\uFFFF]/;

/** Go's a < b as -1, 0 or 1: UTF-8 byte order. */
export function goCompare(a: string, b: string): number {
  if (!WIDE.test(a) && !WIDE.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
