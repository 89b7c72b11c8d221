// IEEE 754 round-to-nearest, ties to even, checked from its definition: a double x is the
// rounding of the exact rational n/d when no other double is nearer, and on a tie x's last
// mantissa bit is 0. Everything is exact bigint arithmetic on the doubles' own bits.

/** The bits of a finite double x >= 0 (its successor is bits + 1). */
function bitsOf(x: number): bigint {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  return view.getBigUint64(0);
}

function fromBits(bits: bigint): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, bits);
  return view.getFloat64(0);
}

/** A finite double >= 0 as mantissa / 2^shift (shift >= 0) or mantissa * 2^-shift. */
function exactOf(x: number): { n: bigint; d: bigint } {
  const bits = bitsOf(x);
  const biased = Number(bits >> 52n);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (biased === 0 ? 1 : biased) - 1075;
  return exponent >= 0 ? { n: mantissa << BigInt(exponent), d: 1n } : { n: mantissa, d: 1n << BigInt(-exponent) };
}

/** |n/d - x| as a fraction. */
function distance(n: bigint, d: bigint, x: number): { n: bigint; d: bigint } {
  const e = exactOf(x);
  const diff = n * e.d - e.n * d;
  return { n: diff < 0n ? -diff : diff, d: d * e.d };
}

const compareFractions = (a: { n: bigint; d: bigint }, b: { n: bigint; d: bigint }) => {
  const l = a.n * b.d;
  const r = b.n * a.d;
  return l < r ? -1 : l > r ? 1 : 0;
};

/** Whether x is n/d (n >= 0, d > 0) rounded to the nearest double, ties to even. */
export function isNearestDouble(x: number, n: bigint, d: bigint): boolean {
  if (!(x >= 0) || !Number.isFinite(x)) return false;
  const bits = bitsOf(x);
  const here = distance(n, d, x);
  const neighbours = [bits + 1n, ...(bits > 0n ? [bits - 1n] : [])].map(fromBits).filter(Number.isFinite);
  for (const y of neighbours) {
    const c = compareFractions(here, distance(n, d, y));
    if (c > 0) return false;
    if (c === 0 && (bits & 1n) === 1n) return false;
  }
  return true;
}
