// Go's string comparison (byte order, not locale order): kube-proxy and its tests sort with
// it, and output must not depend on the user's locale.

export function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
