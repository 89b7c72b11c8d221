// Go's string comparison (byte order, not locale order): kube-proxy and its tests sort with
// it, and output must not depend on the user's locale.
//
// JavaScript's < compares UTF-16 code units, which orders like Go's UTF-8 bytes except between
// U+E000-U+FFFF and characters above U+FFFF. What the proxy stage sorts (object and port names,
// IPs, "ip:port") is ASCII, so < is exact here and cheap on the render's hot path; free text
// (labels, annotations) is sorted with src/output/labels.ts compareStrings, exact for all text.

export function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
