// Number syntax as libxtables reads it: xtables_strtoui is strtoul(s, &end, 0) over the whole
// string, so `0x10` is hex and `010` is octal (`--mark 010` is 0x8, `--dport 010` is port 8).

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
