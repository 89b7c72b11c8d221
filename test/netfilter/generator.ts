// A fixed-seed generator of iptables-restore rules covering every option svctrace's printer
// handles, in the many ways iptables accepts them: option order shuffled, aliases, `--opt=value`,
// implicit protocol matches, negations, number syntaxes, address spellings, quoting. Each rule
// gets its own chain so a difference points at one rule. Only rules both backends accept (and
// print alike) are generated; the kernel test fails loudly otherwise.
import { prng } from '../helpers/random.js';
import type { Family } from '../../src/netfilter/index.js';

/** Seeded random choices over the shared PRNG. */
export class Random {
  private readonly nextValue: () => number;
  constructor(seed: number) {
    this.nextValue = prng(seed);
  }
  next(): number {
    return this.nextValue();
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  some<T>(items: readonly T[], min = 1): T[] {
    const out = items.filter(() => this.chance(0.4));
    while (out.length < min) out.push(this.pick(items));
    return out;
  }
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }
}

/** A piece of a rule: its words, and whether it must come after `-p` (options parsed with it). */
interface Chunk {
  words: string[];
  afterProto?: boolean;
  isProto?: boolean;
  /** options of an implicitly loaded protocol match: they must precede -m multiport, whose
   * --sports/--dports they would otherwise abbreviate (getopt takes `--sport` for `--sports`) */
  implicit?: boolean;
  multiport?: boolean;
}

const TABLES = ['filter', 'nat', 'mangle', 'raw'] as const;
type TableName = (typeof TABLES)[number];

interface RuleDraft {
  table: TableName;
  chunks: Chunk[];
}

export interface GenerateOptions {
  /** avoid the shapes iptables-nft-save rewrites (see generatePayload) */
  readonly nftSafe?: boolean;
  /** use -m set with the sets GENERATED_IPSETS names (they must exist) */
  readonly ipsets?: boolean;
  /** put `[pkts:bytes]` before some rules and `-c pkts bytes` in others */
  readonly counters?: boolean;
}

/** `ipset create` arguments for the sets generated rules use. */
export const GENERATED_IPSETS: Record<Family, string[][]> = {
  ipv4: [['GEN-A', 'hash:ip'], ['GEN-B', 'hash:net,port']],
  ipv6: [['GEN-A', 'hash:ip', 'family', 'inet6'], ['GEN-B', 'hash:net,port', 'family', 'inet6']],
};

/**
 * A restore payload with `count` generated rules of the family, one chain each. With
 * `nftSafe`, tcp/udp options avoid the shapes iptables-nft-save 1.8.9 rewrites (its nftables
 * translation shows): a negated port range from 0 (`! --sport 0:99` comes back as
 * `--sport 100:65535`), the full range 0:65535 and a --tcp-flags test with an empty mask (legacy
 * keeps an empty `-m tcp` or the negated test, nft drops them).
 */
export function generatePayload(family: Family, seed: number, count: number, opts: GenerateOptions = {}): string {
  const g = new Generator(new Random(seed), family, opts);
  const byTable = new Map<TableName, string[]>();
  for (let i = 0; i < count; i++) {
    const draft = g.rule();
    const list = byTable.get(draft.table) ?? [];
    // `[p:b]` and `-c` together are two -c options under --counters, which iptables refuses
    const hasC = draft.chunks.some((c) => c.words[0] === '-c' || c.words[0] === '--set-counters');
    list.push((hasC ? '' : g.counters()) + g.order(draft.chunks).join(' '));
    byTable.set(draft.table, list);
  }
  const lines: string[] = [];
  let n = 0;
  for (const table of TABLES) {
    const rules = byTable.get(table);
    if (!rules) continue;
    lines.push(`*${table}`, ':JUMP-TARGET - [0:0]');
    const names = rules.map(() => `G-${family === 'ipv4' ? 4 : 6}-${String(++n).padStart(4, '0')}`);
    lines.push(...names.map((c) => `:${c} - [0:0]`));
    lines.push(...rules.map((r, i) => (r.startsWith('[') ? r.replace('] ', `] -A ${names[i]} `) : `-A ${names[i]} ${r}`).trimEnd()));
    lines.push('COMMIT');
  }
  return `${lines.join('\n')}\n`;
}

const IFACES = ['eth0', 'eth1', 'lo', 'veth+', 'cali1a2b3c4d5e6', 'docker0', 'br-0123456789ab', 'tunl0', 'eth0.100', 'wg0'];
/** Service names /etc/services gives for each protocol (Debian 12). */
const SERVICES: Record<string, string[]> = { tcp: ['http', 'https', 'ssh', 'domain', 'smtp'], udp: ['domain', 'ntp'], sctp: [] };
const COMMENT_CHARS = 'abcXYZ019 _-:/."\'\\!@#$%^&*()[]{};,<>?=+~`|';

class Generator {
  private readonly nftSafe: boolean;

  constructor(
    private readonly r: Random,
    private readonly family: Family,
    private readonly opts: GenerateOptions,
  ) {
    this.nftSafe = opts.nftSafe ?? false;
  }

  /** `[p:b] ` before some rules (read only by iptables-restore --counters) */
  counters(): string {
    return this.opts.counters && this.r.chance(0.2) ? `[${this.r.int(0, 1e6)}:${this.r.int(0, 1e9)}] ` : '';
  }

  private get v4(): boolean {
    return this.family === 'ipv4';
  }

  /** Chunks in a random order that iptables accepts: `-p` before what needs it. */
  order(chunks: Chunk[]): string[] {
    const shuffled = this.r.shuffle([...chunks]);
    const proto = shuffled.findIndex((c) => c.isProto);
    if (proto >= 0) {
      const [p] = shuffled.splice(proto, 1);
      const firstNeed = shuffled.findIndex((c) => c.afterProto);
      shuffled.splice(firstNeed < 0 ? this.r.int(0, shuffled.length) : this.r.int(0, firstNeed), 0, p!);
    }
    const imp = shuffled.findIndex((c) => c.implicit);
    const mp = shuffled.findIndex((c) => c.multiport);
    if (imp >= 0 && mp >= 0 && imp > mp) [shuffled[imp], shuffled[mp]] = [shuffled[mp]!, shuffled[imp]!];
    return shuffled.flatMap((c) => c.words);
  }

  // ---- values ----------------------------------------------------------------------------------

  private num(n: number): string {
    // C base-0 spellings libxtables accepts for plain numbers
    const k = this.r.next();
    if (k < 0.15) return `0x${n.toString(16)}`;
    if (k < 0.2 && n > 0) return `0${n.toString(8)}`;
    return String(n);
  }

  private u32(): number {
    return this.r.pick([0, 1, 0x4000, 0x8000, 0xffffffff, 0xff00, this.r.int(0, 0xffffffff), this.r.int(0, 0xffff)]);
  }

  private ipv4(): number {
    return this.r.pick([
      () => this.r.int(0, 0xffffffff),
      () => (10 << 24) + this.r.int(0, 0xffffff),
      () => ((172 << 24) | (30 << 16) | this.r.int(0, 0xffff)) >>> 0,
      () => ((192 << 24) | (168 << 16) | this.r.int(0, 0xffff)) >>> 0,
      () => 0,
    ])();
  }

  private v4text(a: number): string {
    const o = [a >>> 24, (a >>> 16) & 255, (a >>> 8) & 255, a & 255];
    if (this.r.chance(0.1) && o[2] === 0 && o[3] === 0) return `${o[0]}.${o[1]}`; // libxtables pads missing parts
    if (this.r.chance(0.08)) return o.map((x) => (x > 7 && this.r.chance(0.5) ? `0x${x.toString(16)}` : String(x))).join('.');
    return o.join('.');
  }

  private ipv6Groups(): number[] {
    const shape = this.r.int(0, 4);
    const g = Array.from({ length: 8 }, () => this.r.int(0, 0xffff));
    if (shape === 0) return [0xfd00, this.r.int(0, 0xff), 0, 0, 0, 0, 0, this.r.int(1, 0xff)];
    if (shape === 1) {
      const start = this.r.int(0, 6);
      const len = this.r.int(1, 8 - start);
      for (let i = start; i < start + len; i++) g[i] = 0;
    }
    if (shape === 2) return [0, 0, 0, 0, 0, 0xffff, this.r.int(0, 0xffff), this.r.int(0, 0xffff)];
    if (shape === 3) return [0x2001, 0xdb8, 0, this.r.int(0, 2), 0, 0, this.r.int(0, 1), this.r.int(0, 3)];
    return g;
  }

  private v6text(groups: number[]): string {
    const hex = groups.map((x) => x.toString(16));
    const style = this.r.int(0, 3);
    let text: string;
    if (style === 0) {
      text = hex.join(':'); // uncompressed
    } else if (style === 1) {
      text = groups.map((x) => x.toString(16).padStart(4, '0')).join(':'); // leading zeros
    } else {
      // compress the first run of zeros (not necessarily the longest)
      const start = groups.indexOf(0);
      if (start < 0) text = hex.join(':');
      else {
        let end = start;
        while (end < 8 && groups[end] === 0) end++;
        text = `${hex.slice(0, start).join(':')}::${hex.slice(end).join(':')}`;
      }
    }
    return this.r.chance(0.2) ? text.toUpperCase() : text;
  }

  private address(withMask: boolean): string {
    if (this.v4) {
      const a = this.v4text(this.ipv4());
      if (!withMask || this.r.chance(0.3)) return a;
      const k = this.r.next();
      if (k < 0.6) return `${a}/${this.num(this.r.int(0, 32))}`;
      if (k < 0.8) {
        const bits = this.r.int(0, 32);
        const m = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
        return `${a}/${[m >>> 24, (m >>> 16) & 255, (m >>> 8) & 255, m & 255].join('.')}`;
      }
      return `${a}/${this.r.pick(['255.0.255.0', '255.255.0.255', '0.0.0.255', '255.255.255.254'])}`;
    }
    const a = this.v6text(this.ipv6Groups());
    if (!withMask || this.r.chance(0.3)) return a;
    return this.r.chance(0.8) ? `${a}/${this.r.int(0, 128)}` : `${a}/${this.r.pick(['ffff:ffff::', 'ffff:0:ffff::', 'ffff::ff'])}`;
  }

  /** udp's own ports are read in decimal only; tcp, sctp and multiport take C base-0 numbers */
  private port(proto: string, decimal = false): string {
    const names = SERVICES[proto] ?? [];
    if (names.length > 0 && this.r.chance(0.1)) return this.r.pick(names);
    const n = this.r.int(0, 65535);
    return decimal ? (this.r.chance(0.1) ? `0${n}` : String(n)) : this.num(n);
  }

  private portRange(proto: string): string {
    const a = this.r.int(0, 65535);
    const b = this.r.int(a, 65535);
    return this.r.pick([this.port(proto, proto === 'udp'), `${a}:${b}`, `${a}:`, `:${b}`, `${a}:${a}`, '0:65535']);
  }

  private quoted(s: string): string {
    if (s !== '' && /^[A-Za-z0-9_:/.-]+$/.test(s) && !s.startsWith('-')) return s;
    return `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;
  }

  private text(maxLen: number): string {
    const len = this.r.int(0, maxLen);
    let s = '';
    for (let i = 0; i < len; i++) s += this.r.pick([...COMMENT_CHARS]);
    return s;
  }

  private neg(p = 0.3): string[] {
    return this.r.chance(p) ? ['!'] : [];
  }

  /** `--opt value` or `--opt=value` */
  private opt(name: string, value: string): string[] {
    return this.r.chance(0.1) && !value.startsWith('"') ? [`--${name}=${value}`] : [`--${name}`, value];
  }

  // ---- rules -----------------------------------------------------------------------------------

  rule(): RuleDraft {
    const target = this.target();
    const chunks: Chunk[] = [...target.chunks];
    let proto = target.proto;
    const matches: Chunk[] = [];
    const pool = this.r.shuffle([
      'comment', 'statistic', 'recent', 'addrtype', 'mark', 'connmark', 'conntrack', 'state', 'physdev', 'mac',
      'iprange', 'owner', 'limit', 'pkttype', 'length', 'ttl', 'helper', 'socket', 'connlimit', 'comment',
    ]);
    const wanted = this.r.int(0, 3);
    // a protocol match (tcp/udp/sctp/icmp/multiport) in a third of the rules
    if (proto === undefined && this.r.chance(0.35)) proto = this.r.pick(['tcp', 'udp', 'sctp', 'icmp']);
    if (proto !== undefined) matches.push(...this.protoMatches(proto));
    for (const m of pool.slice(0, wanted)) matches.push(this.match(m));
    if (this.opts.ipsets && this.r.chance(0.1)) matches.push(this.setMatch());
    if (this.opts.counters && this.r.chance(0.1)) chunks.push({ words: [this.r.pick(['-c', '--set-counters']), String(this.r.int(0, 1e6)), String(this.r.int(0, 1e9))] });
    chunks.push(...matches);
    chunks.push(...this.basics(proto, target.protoNegatable && !matches.some((c) => c.afterProto)));
    return { table: target.table, chunks };
  }

  private basics(proto: string | undefined, protoNegatable: boolean): Chunk[] {
    const out: Chunk[] = [];
    const list = this.r.chance(0.1);
    // `! -s x/0` is refused by iptables-nft (legacy takes it): no negation of a /0
    const maybeNeg = (addr: string) => (list || /\/(0|0x0|00*|0\.0\.0\.0)$/.test(addr) ? [] : this.neg());
    if (this.r.chance(0.4)) {
      const addrs = list ? [this.address(true), this.address(true)].join(',') : this.address(true);
      out.push({ words: [...maybeNeg(addrs), this.r.pick(['-s', '--source', '--src']), addrs] });
    }
    if (this.r.chance(0.4)) {
      const addr = this.address(true);
      out.push({ words: [...maybeNeg(addr), this.r.pick(['-d', '--destination', '--dst']), addr] });
    }
    if (this.r.chance(0.2)) out.push({ words: [...this.neg(), this.r.pick(['-i', '--in-interface']), this.r.pick(IFACES)] });
    if (this.r.chance(0.2)) out.push({ words: [...this.neg(), this.r.pick(['-o', '--out-interface']), this.r.pick(IFACES)] });
    if (proto !== undefined) {
      out.push({ words: ['-p', this.protoText(proto)], isProto: true });
    } else if (this.r.chance(0.2)) {
      const p = this.r.pick(['gre', '47', 'esp', 'TCP', 'udp', 'all', '132', '0x11', this.v4 ? 'icmp' : 'ipv6-icmp', '255']);
      out.push({ words: [...(protoNegatable && p !== 'all' ? this.neg() : []), '-p', p], isProto: true });
    }
    if (this.v4 && proto === undefined && this.r.chance(0.05)) out.push({ words: [...this.neg(0.5), '-f'] });
    return out;
  }

  private protoText(proto: string): string {
    const numbers: Record<string, string> = { tcp: '6', udp: '17', sctp: '132', icmp: this.v4 ? '1' : '58' };
    if (proto === 'icmp' && !this.v4) return this.r.pick(['icmpv6', 'ipv6-icmp', '58']);
    return this.r.pick([proto, proto, proto.toUpperCase(), numbers[proto]!]);
  }

  /** The protocol's own match (explicit or implicit) and maybe multiport. */
  private protoMatches(proto: string): Chunk[] {
    const out: Chunk[] = [];
    const explicit = this.r.chance(0.5);
    const opts: string[][] = [];
    if (proto === 'icmp') {
      opts.push([...this.neg(), ...this.opt(this.v4 ? 'icmp-type' : 'icmpv6-type', this.icmpType())]);
    } else {
      for (const [p, names] of [[0.5, ['--sport', '--source-port']], [0.6, ['--dport', '--destination-port']]] as const) {
        if (!this.r.chance(p)) continue;
        let range = this.portRange(proto);
        let negated = this.neg();
        if (this.nftSafe && proto !== 'sctp') {
          // see generatePayload: shapes iptables-nft-save rewrites
          if (/^(0*:65535|:|0*:|0:0*65535)$/.test(range) || (range.startsWith(':') && range.endsWith('65535'))) range = '1:65535';
          if (/^(0*:|:)/.test(range)) negated = [];
        }
        opts.push([...negated, this.r.pick(names), range]);
      }
      if (proto === 'tcp' && this.r.chance(0.3)) {
        // nft drops a --tcp-flags test with an empty mask (legacy prints it when negated)
        const mask = this.nftSafe ? this.r.pick(['SYN,ACK', 'ALL', 'FIN,RST', 'syn']) : this.tcpFlags();
        opts.push(this.r.chance(0.3) ? [...this.neg(), '--syn'] : [...this.neg(), '--tcp-flags', mask, this.tcpFlags()]);
      }
      if (proto === 'tcp' && this.r.chance(0.1)) opts.push([...this.neg(), '--tcp-option', String(this.r.int(1, 255))]);
    }
    if (explicit || opts.length > 0) {
      const words = this.r.shuffle(opts).flat();
      const name = proto === 'icmp' && !this.v4 ? 'icmp6' : proto;
      out.push(explicit ? { words: ['-m', name, ...words] } : { words, afterProto: true, implicit: true });
    }
    if (proto !== 'icmp' && this.r.chance(0.3)) {
      const dir = this.r.pick(['--sports', '--dports', '--ports', '--source-ports', '--destination-ports']);
      out.push({ words: ['-m', 'multiport', ...this.neg(), dir, this.multiportList(proto)], afterProto: true, multiport: true });
    }
    return out;
  }

  private tcpFlags(): string {
    const flags = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG'];
    const k = this.r.next();
    if (k < 0.1) return 'ALL';
    if (k < 0.2) return 'NONE';
    const some = this.r.some(flags);
    return (this.r.chance(0.2) ? some.map((f) => f.toLowerCase()) : some).join(',');
  }

  private multiportList(proto: string): string {
    const items: string[] = [];
    let slots = this.r.int(1, 15);
    while (slots > 0) {
      if (slots >= 2 && this.r.chance(0.3)) {
        const a = this.r.int(0, 65000);
        items.push(`${a}:${this.r.int(a + 1, 65535)}`);
        slots -= 2;
      } else {
        items.push(this.port(proto));
        slots -= 1;
      }
    }
    return items.join(',');
  }

  private icmpType(): string {
    if (this.v4) {
      return this.r.pick([
        'echo-request', 'echo-reply', 'any', 'destination-unreachable', 'port-unreachable', 'fragmentation-needed',
        'time-exceeded', 'TOS-host-redirect', 'ping', String(this.r.int(0, 255)), `${this.r.int(0, 254)}/${this.r.int(0, 255)}`,
      ]);
    }
    return this.r.pick([
      'echo-request', 'echo-reply', 'destination-unreachable', 'no-route', 'packet-too-big', 'neighbour-solicitation',
      'neighbor-advertisement', 'router-advertisement', String(this.r.int(0, 255)), `${this.r.int(0, 255)}/${this.r.int(0, 255)}`,
    ]);
  }

  private match(name: string): Chunk {
    const m = (words: string[][]) => ({ words: ['-m', name, ...this.r.shuffle(words).flat()] });
    const r = this.r;
    switch (name) {
      case 'comment':
        return { words: ['-m', 'comment', ...this.opt('comment', this.quoted(this.text(r.pick([0, 5, 20, 60]))))] };
      case 'statistic': {
        if (r.chance(0.75)) {
          const k = r.int(1, 2100);
          const p = r.pick([
            (1 / k).toFixed(10), (1 / k).toFixed(5), String(r.next()), r.next().toFixed(r.int(1, 12)), '1', '0', '0.5', '1e-3',
            '0.000244140625', (r.int(0, 2 ** 20) / 2 ** 20).toString(),
          ]);
          return m([['--mode', 'random'], [...this.neg(0.2), '--probability', p]]);
        }
        const every = r.int(1, 10);
        return m([['--mode', 'nth'], [...this.neg(0.2), '--every', String(every)], ['--packet', String(r.int(0, every - 1))]]);
      }
      case 'recent': {
        const command = r.pick(['set', 'rcheck', 'update', 'remove']);
        const words: string[][] = [[...this.neg(0.2), `--${command}`]];
        if (command === 'rcheck' || command === 'update') {
          // only checks count hits and ages
          if (r.chance(0.5)) {
            words.push(['--seconds', String(r.int(1, 100000))]);
            if (r.chance(0.5)) words.push(['--reap']);
          }
          if (r.chance(0.3)) words.push(['--hitcount', String(r.int(0, 20))]);
          if (r.chance(0.2)) words.push(['--rttl']);
        }
        if (r.chance(0.7)) words.push(['--name', `KUBE-SEP-${r.int(0, 99999)}`]);
        if (r.chance(0.3)) words.push(['--mask', this.v4 ? this.v4text(this.ipv4()) : this.v6text(this.ipv6Groups())]);
        if (r.chance(0.3)) words.push([r.pick(['--rsource', '--rdest'])]);
        return m(words);
      }
      case 'addrtype': {
        // the legacy kernel refuses BROADCAST, BLACKHOLE and PROHIBIT..XRESOLVE for IPv6
        const types = this.v4
          ? ['UNSPEC', 'UNICAST', 'LOCAL', 'BROADCAST', 'ANYCAST', 'MULTICAST', 'BLACKHOLE', 'UNREACHABLE', 'PROHIBIT', 'THROW', 'NAT', 'XRESOLVE']
          : ['UNSPEC', 'UNICAST', 'LOCAL', 'ANYCAST', 'MULTICAST', 'UNREACHABLE'];
        const list = () => {
          const s = r.some(types).join(',');
          return r.chance(0.2) ? s.toLowerCase() : s;
        };
        const words: string[][] = [];
        const which = r.int(0, 2);
        if (which !== 1) words.push([...this.neg(), '--src-type', list()]);
        if (which !== 0) words.push([...this.neg(), '--dst-type', list()]);
        if (r.chance(0.2)) words.push([r.pick(['--limit-iface-in', '--limit-iface-out'])]);
        return m(words);
      }
      case 'mark':
      case 'connmark': {
        const v = this.u32();
        return m([[...this.neg(), '--mark', r.chance(0.5) ? this.num(v) : `${this.num(v)}/${this.num(this.u32())}`]]);
      }
      case 'conntrack': {
        const states = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED', 'SNAT', 'DNAT'];
        const statuses = ['NONE', 'EXPECTED', 'SEEN_REPLY', 'ASSURED', 'CONFIRMED'];
        const all: string[][] = [
          [...this.neg(), '--ctstate', r.some(states).join(',')],
          [...this.neg(), '--ctproto', r.pick(['tcp', 'udp', '6', '17', 'sctp', '0'])],
          [...this.neg(), '--ctorigsrc', this.ctAddress()],
          [...this.neg(), '--ctorigdst', this.ctAddress()],
          [...this.neg(), '--ctreplsrc', this.ctAddress()],
          [...this.neg(), '--ctrepldst', this.ctAddress()],
          [...this.neg(), '--ctorigsrcport', this.ctPorts()],
          [...this.neg(), '--ctorigdstport', this.ctPorts()],
          [...this.neg(), '--ctreplsrcport', this.ctPorts()],
          [...this.neg(), '--ctrepldstport', this.ctPorts()],
          [...this.neg(), '--ctstatus', r.some(statuses).join(',')],
          [...this.neg(), '--ctexpire', r.chance(0.5) ? String(r.int(0, 1e6)) : `${r.int(0, 1000)}:${r.int(0, 1e6)}`],
          ['--ctdir', r.pick(['ORIGINAL', 'REPLY', 'original'])],
        ];
        return m(r.shuffle(all).slice(0, r.int(1, 4)));
      }
      case 'state':
        return m([[...this.neg(), '--state', r.some(['INVALID', 'ESTABLISHED', 'NEW', 'RELATED', 'UNTRACKED']).join(',')]]);
      case 'physdev': {
        const all: string[][] = [
          [...this.neg(), '--physdev-in', r.pick(IFACES)],
          [...this.neg(), '--physdev-out', r.pick(IFACES)],
          [...this.neg(), '--physdev-is-in'],
          [...this.neg(), '--physdev-is-out'],
          [...this.neg(), '--physdev-is-bridged'],
        ];
        return m(r.shuffle(all).slice(0, r.int(1, 5)));
      }
      case 'mac': {
        const bytes = Array.from({ length: 6 }, () => r.int(0, 255).toString(16));
        const text = bytes.map((b) => (r.chance(0.7) ? b.padStart(2, '0') : b)).join(':');
        return m([[...this.neg(), '--mac-source', r.chance(0.3) ? text.toUpperCase() : text]]);
      }
      case 'iprange': {
        const range = () => (this.v4 ? `${this.v4text(this.ipv4())}-${this.v4text(this.ipv4())}` : `${this.v6text(this.ipv6Groups())}-${this.v6text(this.ipv6Groups())}`);
        const which = r.int(0, 2);
        const words: string[][] = [];
        if (which !== 1) words.push([...this.neg(), '--src-range', range()]);
        if (which !== 0) words.push([...this.neg(), '--dst-range', range()]);
        return m(words);
      }
      case 'owner': {
        const ids = () => (r.chance(0.5) ? String(r.int(0, 65535)) : `${r.int(0, 1000)}-${r.int(1000, 70000)}`);
        const words: string[][] = [];
        if (r.chance(0.6)) words.push([...this.neg(), '--uid-owner', r.chance(0.1) ? 'root' : ids()]);
        if (r.chance(0.5)) {
          // --suppl-groups must follow --gid-owner
          words.push([...this.neg(), '--gid-owner', ids(), ...(r.chance(0.3) ? ['--suppl-groups'] : [])]);
        }
        if (words.length === 0 || r.chance(0.3)) words.push([...this.neg(), '--socket-exists']);
        return m(words);
      }
      case 'limit': {
        const words: string[][] = [];
        if (r.chance(0.8)) {
          const unit = r.pick(['/sec', '/second', '/s', '/min', '/minute', '/m', '/hour', '/h', '']);
          words.push(['--limit', `${r.int(1, unit.startsWith('/s') || unit === '' ? 10000 : 500)}${unit}`]);
        }
        if (r.chance(0.5)) words.push(['--limit-burst', String(r.int(1, 10000))]);
        return m(words);
      }
      case 'pkttype':
        return m([[...this.neg(), '--pkt-type', r.pick(['unicast', 'broadcast', 'multicast', 'host', 'otherhost', 'BROADCAST'])]]);
      case 'length': {
        const a = r.int(0, 65535);
        return m([[...this.neg(), '--length', r.pick([String(a), `${a}:${r.int(a, 65535)}`, `:${a}`, `${a}:`])]]);
      }
      case 'ttl': {
        const name = this.v4 ? 'ttl' : 'hl';
        const op = r.pick(['eq', 'lt', 'gt']);
        return { words: ['-m', name, ...(op === 'eq' ? this.neg() : []), `--${name}-${op}`, String(r.int(0, 255))] };
      }
      case 'helper':
        return m([[...this.neg(), '--helper', this.quoted(r.pick(['ftp', 'sip', 'tftp', 'irc', 'a b', 'ftp-2121']))]]);
      case 'socket':
        return m(r.some([['--transparent'], ['--nowildcard'], ['--restore-skmark']], 0));
      case 'connlimit': {
        const words: string[][] = [[...this.neg(), r.pick(['--connlimit-upto', '--connlimit-above']), String(r.int(0, 1000))]];
        if (r.chance(0.5)) words.push(['--connlimit-mask', String(r.int(0, this.v4 ? 32 : 128))]);
        if (r.chance(0.5)) words.push([r.pick(['--connlimit-saddr', '--connlimit-daddr'])]);
        return m(words);
      }
      default:
        throw new Error(`no generator for ${name}`);
    }
  }

  private setMatch(): Chunk {
    const r = this.r;
    const words: string[][] = [[...this.neg(), r.pick(['--match-set', '--set']), r.pick(['GEN-A', 'GEN-B']), r.some(['src', 'dst', 'src', 'dst']).slice(0, 3).join(',')]];
    if (r.chance(0.2)) words.push(['--return-nomatch']);
    if (r.chance(0.2)) words.push([...this.neg(0.7), '--update-counters']);
    if (r.chance(0.2)) words.push([...this.neg(0.7), '--update-subcounters']);
    if (r.chance(0.2)) words.push(r.pick([[...this.neg(), '--packets-eq'], ['--packets-lt'], ['--packets-gt']]).concat(String(r.int(0, 1e6))));
    if (r.chance(0.2)) words.push(r.pick([[...this.neg(), '--bytes-eq'], ['--bytes-lt'], ['--bytes-gt']]).concat(String(r.int(0, 1e9))));
    return { words: ['-m', 'set', ...words[0]!, ...r.shuffle(words.slice(1)).flat()] };
  }

  private ctAddress(): string {
    if (this.v4) {
      const a = this.ipv4();
      const text = [a >>> 24, (a >>> 16) & 255, (a >>> 8) & 255, a & 255].join('.');
      return this.r.chance(0.5) ? text : `${text}/${this.r.int(0, 32)}`;
    }
    const text = this.v6text(this.ipv6Groups());
    return this.r.chance(0.5) ? text : `${text}/${this.r.int(0, 128)}`;
  }

  private ctPorts(): string {
    const a = this.r.int(0, 65535);
    return this.r.pick([String(a), `${a}:${this.r.int(0, 65535)}`, `${a}:`, `:${a}`]);
  }

  // ---- targets ---------------------------------------------------------------------------------

  /** The target, its table, and the protocol it needs (port ranges need tcp/udp). */
  private target(): { table: TableName; chunks: Chunk[]; proto?: string; protoNegatable: boolean } {
    const r = this.r;
    const kind = r.pick([
      'verdict', 'verdict', 'chain', 'goto', 'none', 'REJECT', 'LOG', 'MARK', 'CONNMARK', 'DNAT', 'SNAT', 'MASQUERADE', 'REDIRECT', 'NETMAP', 'opaque',
    ]);
    const j = (words: string[]) => [{ words: [r.pick(['-j', '--jump']), ...words] }];
    switch (kind) {
      case 'verdict':
        return { table: r.pick(['filter', 'mangle', 'raw']), chunks: j([r.pick(['ACCEPT', 'DROP', 'RETURN'])]), protoNegatable: true };
      case 'chain':
        return { table: r.pick(TABLES), chunks: j(['JUMP-TARGET']), protoNegatable: true };
      case 'goto':
        return { table: r.pick(TABLES), chunks: [{ words: [r.pick(['-g', '--goto']), 'JUMP-TARGET'] }], protoNegatable: true };
      case 'none':
        return { table: r.pick(TABLES), chunks: [], protoNegatable: true };
      case 'REJECT': {
        const types = this.v4
          ? ['icmp-net-unreachable', 'net-unreach', 'icmp-host-unreachable', 'icmp-proto-unreachable', 'icmp-port-unreachable', 'port-unreach', 'icmp-net-prohibited', 'icmp-host-prohibited', 'host-prohib', 'icmp-admin-prohibited', 'admin-prohib']
          : ['icmp6-no-route', 'no-route', 'icmp6-adm-prohibited', 'adm-prohibited', 'icmp6-addr-unreachable', 'addr-unreach', 'icmp6-port-unreachable', 'port-unreach', 'icmp6-policy-fail', 'icmp6-reject-route'];
        if (r.chance(0.2)) return { table: 'filter', chunks: j(['REJECT', '--reject-with', this.v4 ? r.pick(['tcp-reset', 'tcp-rst']) : 'tcp-reset']), proto: 'tcp', protoNegatable: false };
        return { table: 'filter', chunks: j(['REJECT', ...(r.chance(0.7) ? this.opt('reject-with', r.pick(types)) : [])]), protoNegatable: true };
      }
      case 'LOG': {
        const opts: string[][] = [];
        if (r.chance(0.6)) opts.push(this.opt('log-prefix', this.quoted(this.text(35) || 'x')));
        if (r.chance(0.5)) opts.push(['--log-level', r.pick(['0', '3', '4', '7', 'emerg', 'alert', 'crit', 'error', 'warning', 'notice', 'info', 'debug', 'panic'])]);
        for (const f of ['tcp-sequence', 'tcp-options', 'ip-options', 'uid', 'macdecode']) if (r.chance(0.2)) opts.push([`--log-${f}`]);
        return { table: r.pick(TABLES), chunks: j(['LOG', ...r.shuffle(opts).flat()]), protoNegatable: true };
      }
      case 'MARK': {
        const op = r.pick(['set-xmark', 'set-mark', 'and-mark', 'or-mark', 'xor-mark']);
        const v = this.num(this.u32());
        const value = (op === 'set-xmark' || op === 'set-mark') && r.chance(0.5) ? `${v}/${this.num(this.u32())}` : v;
        return { table: r.pick(['filter', 'nat', 'mangle', 'raw']), chunks: j(['MARK', `--${op}`, value]), protoNegatable: true };
      }
      case 'CONNMARK': {
        if (r.chance(0.5)) {
          const op = r.pick(['set-xmark', 'set-mark', 'and-mark', 'or-mark', 'xor-mark']);
          const v = this.num(this.u32());
          const value = (op === 'set-xmark' || op === 'set-mark') && r.chance(0.5) ? `${v}/${this.num(this.u32())}` : v;
          return { table: r.pick(['filter', 'mangle', 'nat']), chunks: j(['CONNMARK', `--${op}`, value]), protoNegatable: true };
        }
        const opts = [[`--${r.pick(['save', 'restore'])}-mark`]];
        const k = r.int(0, 3);
        if (k === 1) opts.push(['--mask', this.num(this.u32())]);
        if (k >= 2) opts.push(['--nfmask', this.num(this.u32())]);
        if (k === 3) opts.push(['--ctmask', this.num(this.u32())]);
        return { table: r.pick(['filter', 'mangle']), chunks: j(['CONNMARK', ...r.shuffle(opts).flat()]), protoNegatable: true };
      }
      case 'DNAT':
      case 'SNAT': {
        const withPorts = r.chance(0.5);
        const opts: string[][] = [[r.pick(kind === 'DNAT' ? ['--to-destination', '--to'] : ['--to-source', '--to']), this.natRange(withPorts, kind === 'DNAT')]];
        if (r.chance(0.3)) opts.push(['--random']);
        if (r.chance(0.3)) opts.push(['--persistent']);
        if (kind === 'SNAT' && r.chance(0.3)) opts.push(['--random-fully']);
        const chunks = [{ words: ['-j', kind, ...r.shuffle(opts).flat()], afterProto: withPorts }];
        return { table: 'nat', chunks, proto: withPorts ? r.pick(['tcp', 'udp']) : undefined, protoNegatable: !withPorts };
      }
      case 'MASQUERADE':
      case 'REDIRECT': {
        const withPorts = r.chance(0.5);
        const opts: string[][] = [];
        if (withPorts) {
          const a = r.int(1, 65535);
          opts.push(['--to-ports', r.chance(0.5) ? String(a) : `${a}-${r.int(a, 65535)}`]);
        }
        if (r.chance(0.3)) opts.push(['--random']);
        if (kind === 'MASQUERADE' && r.chance(0.3)) opts.push(['--random-fully']);
        const chunks = [{ words: ['-j', kind, ...r.shuffle(opts).flat()], afterProto: withPorts }];
        return { table: 'nat', chunks, proto: withPorts ? r.pick(['tcp', 'udp']) : undefined, protoNegatable: !withPorts };
      }
      case 'NETMAP':
        return { table: 'nat', chunks: j(['NETMAP', '--to', this.v4 ? `${this.v4text(this.ipv4())}/${r.int(0, 32)}` : `${this.v6text(this.ipv6Groups())}/${r.int(0, 128)}`]), protoNegatable: true };
      default:
        // unmodelled targets, already in save form: kept as written
        return {
          table: 'filter',
          chunks: j(r.pick([['NFLOG', '--nflog-prefix', this.quoted('gen x'), '--nflog-group', String(r.int(1, 100))], ['NFQUEUE', '--queue-num', String(r.int(0, 100))], ['AUDIT', '--type', 'drop']])),
          protoNegatable: true,
        };
    }
  }

  private natRange(withPorts: boolean, allowBase: boolean): string {
    const r = this.r;
    const addr = () => (this.v4 ? (() => {
      const a = this.ipv4();
      return [a >>> 24, (a >>> 16) & 255, (a >>> 8) & 255, a & 255].join('.');
    })() : this.v6text(this.ipv6Groups()));
    let a = r.chance(0.2) && withPorts && this.v4 ? '' : addr();
    if (a !== '' && r.chance(0.3)) a = `${a}-${addr()}`;
    if (!withPorts) return this.v4 || !r.chance(0.3) || a.includes('-') ? a : `[${a}]`;
    const p = r.int(1, 65535);
    let ports = r.chance(0.5) ? String(p) : `${p}-${r.int(p, 65535)}`;
    if (allowBase && ports.includes('-') && r.chance(0.2)) ports += `/${r.int(1, 65535)}`;
    return this.v4 ? `${a}:${ports}` : `[${a}]:${ports}`;
  }
}
