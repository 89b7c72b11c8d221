// kube-proxy's one probability formatter: computeProbability(n) = fmt.Sprintf("%0.Nf", 1.0/float64(n))
// with N = 5 up to 1.16 and N = 10 from 1.17 (PR #83599). Go prints the exact binary value of
// the float64, rounded half to even; JavaScript's toFixed rounds the exact ties 1/64 (%0.5f)
// and 1/2048 (%0.10f) up, so this formats from the exact value with BigInt instead.

/** The float64 x as an exact fraction mantissa × 2^exponent. */
function exactBinary(x: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exponent: number;
  if (biased === 0) {
    exponent = -1074;
  } else {
    mantissa |= 1n << 52n;
    exponent = biased - 1075;
  }
  return { mantissa, exponent };
}

/** Go's fmt.Sprintf("%0.<decimals>f", x) for finite x >= 0. */
export function formatFixedGo(x: number, decimals: number): string {
  const { mantissa, exponent } = exactBinary(x);
  let numerator = mantissa * 10n ** BigInt(decimals);
  let denominator = 1n;
  if (exponent >= 0) numerator <<= BigInt(exponent);
  else denominator <<= BigInt(-exponent);
  let q = numerator / denominator;
  const twiceRemainder = (numerator % denominator) * 2n;
  if (twiceRemainder > denominator || (twiceRemainder === denominator && q % 2n === 1n)) q += 1n;
  const digits = q.toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  return decimals === 0 ? whole : `${whole}.${digits.slice(digits.length - decimals)}`;
}

/**
 * Formats 1/n once per (n, decimals), as kube-proxy precomputes them: the rule that jumps to
 * endpoint i of n carries probability(n - i).
 */
export function createProbabilityFormatter(decimals: number): (n: number) => string {
  const cache: string[] = [];
  return (n: number) => (cache[n] ??= formatFixedGo(1 / n, decimals));
}
