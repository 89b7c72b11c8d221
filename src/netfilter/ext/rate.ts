// Matches that count or sample packets: statistic (libxt_statistic.c), recent (libxt_recent.c,
// revision 1), limit (libxt_limit.c), connlimit (libxt_connlimit.c, revision 1).
import type { ConnlimitMatch, LimitMatch, RecentMatch, StatisticMatch } from '../model.js';
import { bitWidth, formatAddress, fullMask, parseIPv4Aton, parseIPv6 } from '../addr.js';
import { formatFixed, U32 } from '../numbers.js';
import { type Mutable, OptionError, bang, extension, uint } from './kit.js';

// ---- statistic --------------------------------------------------------------------------------

const TWO31 = 2 ** 31;

/**
 * C strtod over the whole string: decimal or hexadecimal floating constants (`0x1p-1`).
 * Decimal text goes through Number(), which rounds correctly like glibc's strtod.
 */
function parseCDouble(text: string): number | null {
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return Number(text);
  const hexm = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/.exec(text);
  if (hexm && (hexm[2] || hexm[3])) {
    const digits = (hexm[2] ?? '') + (hexm[3] ?? '');
    const exp = Number(hexm[4] ?? 0) - 4 * (hexm[3] ?? '').length;
    const v = Number(BigInt(`0x${digits || '0'}`)) * 2 ** exp;
    return hexm[1] === '-' ? -v : v;
  }
  return null;
}

/** The kernel's threshold for --probability p: lround(p * 2^31), computed exactly. */
export function probabilityThreshold(p: number): number {
  const x = p * TWO31; // exact: multiplying by a power of two
  const t = Math.floor(x);
  return x - t >= 0.5 ? t + 1 : t; // x - t is exact, so this is lround for x >= 0
}

/**
 * printf("%.11f", threshold / 2^31) as glibc prints it: the exact binary value rounded to 11
 * decimals, ties to even (0.000244140625 prints 0.00024414062).
 */
export function formatProbability(threshold: number): string {
  return formatFixed(BigInt(threshold), BigInt(TWO31), 11);
}

export const statistic = extension<Mutable<StatisticMatch>>({
  name: 'statistic',
  type: 'match',
  init: () => ({ module: 'statistic', mode: 'random', negated: false }),
  options: [
    {
      names: ['mode'], args: 1, mandatory: true,
      apply: (s, [a]) => {
        if (a !== 'random' && a !== 'nth') throw new OptionError(`Bad mode "${a}"`);
        s.mode = a;
      },
    },
    {
      names: ['probability'], args: 1, invert: true,
      apply: (s, [a], n) => {
        const p = parseCDouble(a!);
        if (p === null || !(p >= 0 && p <= 1)) throw new OptionError('statistic: bad value for option "--probability", or out of range (0-1).');
        s.probabilityText = a!;
        s.threshold = probabilityThreshold(p);
        s.probability = s.threshold / TWO31;
        if (n) s.negated = true;
      },
    },
    {
      names: ['every'], args: 1, invert: true,
      apply: (s, [a], n) => {
        s.every = uint(a!, 'every', U32, 1);
        if (n) s.negated = true;
      },
    },
    { names: ['packet'], args: 1, apply: (s, [a]) => void (s.packet = uint(a!, 'packet')) },
  ],
  finish: (s, given) => {
    if (given.has('probability') && (given.has('every') || given.has('packet'))) {
      throw new OptionError('statistic: "--probability" may not be used with "--every" or "--packet"');
    }
    if (given.has('every') !== given.has('packet')) {
      throw new OptionError(given.has('every') ? 'statistic: option "--every" also requires "--packet".' : 'statistic: option "--packet" also requires "--every".');
    }
    if (s.mode === 'random' && !given.has('probability')) throw new OptionError('--probability must be specified when using random mode');
    if (s.mode === 'nth' && !given.has('every')) throw new OptionError('--every and --packet must be specified when using nth mode');
    if (s.mode === 'nth' && s.packet! > s.every! - 1) throw new OptionError('the --packet p must be 0 <= p <= n-1');
  },
  save: (s) =>
    s.mode === 'random'
      ? ['--mode', 'random', ...bang(s.negated), '--probability', formatProbability(s.threshold!)]
      : ['--mode', 'nth', ...bang(s.negated), '--every', String(s.every), '--packet', String(s.packet)],
});

// ---- recent -----------------------------------------------------------------------------------

type RecentState = Omit<Mutable<RecentMatch>, 'command'> & { command: RecentMatch['command'] | undefined };

const recentCommand = (command: RecentMatch['command']) => ({
  names: [command], args: 0 as const, invert: true,
  apply: (s: RecentState, _a: string[], n: boolean) => {
    if (s.command !== undefined) throw new OptionError('recent: only one of --set, --rcheck, --update or --remove may be given');
    s.command = command;
    s.negated = n;
  },
});

export const recent = extension<RecentState>({
  name: 'recent',
  type: 'match',
  init: (ctx) => ({ module: 'recent', command: undefined, negated: false, name: 'DEFAULT', reap: false, rttl: false, mask: formatAddress(fullMask(ctx.family), ctx.family), side: 'source' }),
  options: [
    recentCommand('set'), recentCommand('rcheck'), recentCommand('update'), recentCommand('remove'),
    { names: ['seconds'], args: 1, apply: (s, [a]) => void (s.seconds = uint(a!, 'seconds', U32, 1)) },
    { names: ['reap'], args: 0, apply: (s) => void (s.reap = true) },
    { names: ['hitcount'], args: 1, apply: (s, [a]) => void (s.hitcount = uint(a!, 'hitcount')) },
    { names: ['rttl'], args: 0, apply: (s) => void (s.rttl = true) },
    {
      names: ['name'], args: 1,
      apply: (s, [a]) => {
        if (a!.length === 0 || a!.length > 199) throw new OptionError('recent: bad value for option "--name"');
        s.name = a!;
      },
    },
    { names: ['rsource'], args: 0, apply: (s) => void (s.side = 'source') },
    { names: ['rdest'], args: 0, apply: (s) => void (s.side = 'dest') },
    {
      names: ['mask'], args: 1,
      apply: (s, [a], _n, ctx) => {
        const v = ctx.family === 'ipv4' ? parseIPv4Aton(a!) : parseIPv6(a!);
        if (v === null) throw new OptionError(`host/network "${a}" not found`);
        s.mask = formatAddress(BigInt(v), ctx.family);
      },
    },
  ],
  finish: (s, given) => {
    if (s.command === undefined) throw new OptionError('recent: you must specify one of `--set\', `--rcheck\', `--update\' or `--remove\'');
    if (given.has('reap') && !given.has('seconds')) throw new OptionError('recent: option "--reap" also requires "--seconds".');
    if (s.command === 'set' || s.command === 'remove') {
      // xt_recent refuses these (--rttl already in userspace)
      for (const o of ['rttl', 'seconds', 'hitcount']) {
        if (given.has(o)) throw new OptionError(`recent: option "--${o}" cannot be used together with "--${s.command}".`);
      }
    }
  },
  save: (s) => [
    ...bang(s.negated),
    `--${s.command}`,
    ...(s.seconds ? ['--seconds', String(s.seconds)] : []),
    ...(s.reap ? ['--reap'] : []),
    ...(s.hitcount ? ['--hitcount', String(s.hitcount)] : []),
    ...(s.rttl ? ['--rttl'] : []),
    '--name', s.name, // printed as is, never quoted
    '--mask', s.mask,
    s.side === 'source' ? '--rsource' : '--rdest',
  ],
});

// ---- limit ------------------------------------------------------------------------------------

const LIMIT_SCALE = 10000;
const RATES: ReadonlyArray<readonly [string, number]> = [
  ['day', LIMIT_SCALE * 24 * 60 * 60], ['hour', LIMIT_SCALE * 60 * 60], ['min', LIMIT_SCALE * 60], ['sec', LIMIT_SCALE],
];

/** parse_rate: `N[/second|/minute|/hour|/day]` (any prefix of the unit), as an interval. */
function limitPeriod(text: string): number {
  const slash = text.indexOf('/');
  let mult = 1;
  if (slash >= 0) {
    const unit = text.slice(slash + 1).toLowerCase();
    const found = unit === '' ? undefined : ([['second', 1], ['minute', 60], ['hour', 3600], ['day', 86400]] as const).find(([u]) => u.startsWith(unit));
    if (!found) throw new OptionError(`bad rate "${text}"'`);
    mult = found[1];
  }
  const n = /^\s*[+-]?\d+/.exec(text) ? parseInt(text, 10) : 0; // atoi
  if (!(n > 0)) throw new OptionError(`bad rate "${text}"'`);
  const period = Math.floor((LIMIT_SCALE * mult) / n) >>> 0;
  if (period === 0) throw new OptionError(`Rate too fast "${text}"`);
  return period;
}

/** print_rate: the largest unit that still shows the rate exactly enough. */
function formatLimitRate(period: number): string {
  let i = 1;
  for (; i < RATES.length; i++) {
    const mult = RATES[i]![1];
    if (period > mult || Math.floor(mult / period) < mult % period) break;
  }
  const [name, mult] = RATES[i - 1]!;
  return `${Math.floor(mult / period)}/${name}`;
}

export const limit = extension<Mutable<LimitMatch>>({
  name: 'limit',
  type: 'match',
  init: () => ({ module: 'limit', period: (LIMIT_SCALE * 3600) / 3, burst: 5 }),
  options: [
    { names: ['limit'], args: 1, apply: (s, [a]) => void (s.period = limitPeriod(a!)) },
    { names: ['limit-burst'], args: 1, apply: (s, [a]) => void (s.burst = uint(a!, 'limit-burst', 10000)) },
  ],
  save: (s) => ['--limit', formatLimitRate(s.period), ...(s.burst !== 5 ? ['--limit-burst', String(s.burst)] : [])],
});

// ---- connlimit --------------------------------------------------------------------------------

export const connlimit = extension<Omit<Mutable<ConnlimitMatch>, 'maskBits'> & { maskBits: number | undefined }>({
  name: 'connlimit',
  type: 'match',
  init: () => ({ module: 'connlimit', upto: false, limit: 0, maskBits: undefined, side: 'saddr' }),
  options: [
    {
      names: ['connlimit-upto'], args: 1, invert: true,
      apply: (s, [a], n) => {
        s.limit = uint(a!, 'connlimit-upto');
        s.upto = !n;
      },
    },
    {
      names: ['connlimit-above'], args: 1, invert: true,
      apply: (s, [a], n) => {
        s.limit = uint(a!, 'connlimit-above');
        s.upto = n;
      },
    },
    { names: ['connlimit-mask'], args: 1, apply: (s, [a], _n, ctx) => void (s.maskBits = uint(a!, 'connlimit-mask', bitWidth(ctx.family))) },
    { names: ['connlimit-saddr'], args: 0, apply: (s) => void (s.side = 'saddr') },
    { names: ['connlimit-daddr'], args: 0, apply: (s) => void (s.side = 'daddr') },
  ],
  finish: (s, given, ctx) => {
    if (!given.has('connlimit-upto') && !given.has('connlimit-above')) throw new OptionError('connlimit: You must specify "--connlimit-above" or "--connlimit-upto".');
    if (given.has('connlimit-upto') && given.has('connlimit-above')) throw new OptionError('connlimit: --connlimit-upto and --connlimit-above are mutually exclusive');
    s.maskBits ??= bitWidth(ctx.family);
  },
  save: (s) => [
    s.upto ? '--connlimit-upto' : '--connlimit-above', String(s.limit),
    '--connlimit-mask', String(s.maskBits),
    s.side === 'daddr' ? '--connlimit-daddr' : '--connlimit-saddr',
  ],
});
