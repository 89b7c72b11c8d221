// Number syntax as libxtables reads it: xtables_strtoui is strtoul(s, &end, 0) over the whole
// string, so `0x10` is hex and `010` is octal (`--mark 010` is 0x8, `--dport 010` is port 8).
// And numbers as iptables and kube-proxy print them: fixed-point text of an exact binary value,
// rounded half to even (C printf "%.Nf", Go fmt "%0.Nf"), in formatFixed and formatDouble.

const BASE0 = /^\+?(?:0[xX]([0-9a-fA-F]+)|0([0-7]*)|([1-9][0-9]*))$/;

/** An unsigned integer in C base-0 syntax within [min, max], or null. */
export function parseUint(text: string, max: number, min = 0): number | null {
  const m = BASE0.exec(text);
  if (!m) return null;
  const value = m[1] !== undefined ? parseInt(m[1], 16) : m[2] !== undefined ? (m[2] === '' ? 0 : parseInt(m[2], 8)) : Number(m[3]);
  if (!Number.isSafeInteger(value) || value < min || value > max) return null;
  return value;
}

/** strtoul(s, &end, 10) over the whole string: the x6 option parsers' ports (`010` is 10). */
export function parseDecimal(text: string, max: number): number | null {
  if (!/^\+?\d+$/.test(text)) return null;
  const v = Number(text.replace(/^\+/, ''));
  return v <= max ? v : null;
}

export const U8 = 0xff;
export const U16 = 0xffff;
export const U32 = 0xffffffff;

/** `0x` + minimal lower-case hex, as iptables prints marks and masks. */
export function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

/**
 * printf("%.<decimals>f") of the exact rational num / den (den > 0): rounded to `decimals`
 * decimals half to even, as glibc and Go's fmt round the exact binary value of a double (so
 * 0.125 prints 0.12 with two decimals; toFixed would round the tie up).
 */
export function formatFixed(num: bigint, den: bigint, decimals: number): string {
  const negative = num < 0n;
  const scaled = (negative ? -num : num) * 10n ** BigInt(decimals);
  let q = scaled / den;
  const twiceRemainder = (scaled % den) * 2n;
  if (twiceRemainder > den || (twiceRemainder === den && (q & 1n) === 1n)) q += 1n;
  const digits = q.toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  return (negative ? '-' : '') + (decimals === 0 ? whole : `${whole}.${digits.slice(digits.length - decimals)}`);
}

/** The finite double |x| as the exact fraction mantissa * 2^exponent. */
export function exactBinary(x: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (biased === 0) return { mantissa, exponent: -1074 };
  mantissa |= 1n << 52n;
  return { mantissa, exponent: biased - 1075 };
}

/** printf("%.<decimals>f", x) for a finite double x: its exact binary value, rounded half to even ("-0.00" for -0.001, as C and Go print it). */
export function formatDouble(x: number, decimals: number): string {
  const { mantissa, exponent } = exactBinary(x);
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  return sign + (exponent >= 0 ? formatFixed(mantissa << BigInt(exponent), 1n, decimals) : formatFixed(mantissa, 1n << BigInt(-exponent), decimals));
}
