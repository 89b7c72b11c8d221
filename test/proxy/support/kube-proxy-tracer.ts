// A port of the packet tracer in kube-proxy's unit tests (proxier_test.go iptablesTracer and
// tracePacket, kubernetes ~v1.33), used to run the tests' packet-flow tables against our
// payloads. Its simplifications are kube-proxy's: it starts at nat KUBE-SERVICES (where the
// fake's PREROUTING jump leads), treats a DNAT as applied to the first output before the filter
// chains, runs filter KUBE-SERVICES, KUBE-EXTERNAL-SERVICES, KUBE-NODEPORTS and
// KUBE-PROXY-FIREWALL directly, never matches state (--rcheck, --mark, --ctstate), and follows
// every --probability branch to collect all destinations.
import { cidrContains, parseCIDR, parseIP } from '../../../src/cluster/ip.js';
import { parseDump, ruleWords } from './kube-proxy-sort.js';

interface Param {
  value: string;
  negated: boolean;
}

interface TraceRule {
  raw: string;
  params: Map<string, Param>;
}

function parseRule(raw: string): TraceRule {
  const words = ruleWords(raw);
  const params = new Map<string, Param>();
  let negate = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '!') {
      negate = true;
      continue;
    }
    if (w === '-m') {
      i++; // modules are not parameters
      continue;
    }
    if (w.startsWith('-')) {
      const next = words[i + 1];
      const hasValue = next !== undefined && !next.startsWith('-') && next !== '!';
      params.set(w, { value: hasValue ? next! : '', negated: negate });
      if (hasValue) i++;
    }
    negate = false;
  }
  return { raw, params };
}

function addressMatches(p: Param, ipText: string): boolean {
  const ip = parseIP(ipText);
  if (!ip) throw new Error(`bad IP in test case: ${ipText}`);
  let matches: boolean;
  if (p.value.includes('/')) {
    const cidr = parseCIDR(p.value);
    if (!cidr) throw new Error(`bad CIDR in rule: ${p.value}`);
    matches = cidrContains(cidr, ip);
  } else {
    const other = parseIP(p.value);
    matches = !!other && other.family === ip.family && other.bytes.every((b, i) => b === ip.bytes[i]);
  }
  return p.negated ? !matches : matches;
}

const valueMatches = (p: Param, v: string) => (p.value === v) !== p.negated;

export interface TraceResult {
  matches: string[];
  output: string;
  masq: boolean;
}

export function tracePacket(payload: string, sourceIP: string, protocol: string, destIP: string, destPort: number, nodeIPs: readonly string[]): TraceResult {
  const tables = new Map(parseDump(payload).map((t) => [t.name, new Map(t.chains.map((c) => [c.name, c.rules.map(parseRule)]))]));
  const localIPs = new Set(['127.0.0.1', '::1', ...nodeIPs]);
  const matches: string[] = [];
  const outputs: string[] = [];
  let masq = false;
  const port = String(destPort);

  const ruleMatches = (r: TraceRule, dst: string): boolean => {
    const s = r.params.get('-s');
    if (s && !addressMatches(s, sourceIP)) return false;
    const st = r.params.get('--src-type');
    if (st && !valueMatches(st, localIPs.has(sourceIP) ? 'LOCAL' : 'not-matched')) return false;
    const p = r.params.get('-p');
    if (p && !valueMatches(p, protocol)) return false;
    const d = r.params.get('-d');
    if (d && !addressMatches(d, dst)) return false;
    const dt = r.params.get('--dst-type');
    if (dt && !valueMatches(dt, localIPs.has(dst) ? 'LOCAL' : 'not-matched')) return false;
    const dp = r.params.get('--dport');
    if (dp && !valueMatches(dp, port)) return false;
    // Rules that look at history never match.
    return !(r.params.has('--rcheck') || r.params.has('--mark') || r.params.has('--ctstate'));
  };

  const runChain = (table: string, chain: string, dst: string): boolean => {
    const rules = tables.get(table)?.get(chain);
    if (!rules) return false;
    for (const r of rules) {
      const jump = r.params.get('-j');
      if (!jump) continue;
      if (!ruleMatches(r, dst)) continue;
      matches.push(r.raw);
      switch (jump.value) {
        case 'KUBE-MARK-MASQ':
          masq = true;
          continue;
        case 'ACCEPT':
        case 'REJECT':
        case 'DROP':
          outputs.push(jump.value);
          return true;
        case 'DNAT':
          outputs.push(r.params.get('--to-destination')!.value);
          return true;
        default: {
          const terminated = runChain(table, jump.value, dst);
          if (terminated && !r.params.has('--probability')) return true;
        }
      }
    }
    return false;
  };

  runChain('nat', 'KUBE-SERVICES', destIP);
  let dst = destIP;
  if (outputs.length > 0) {
    const first = outputs[0]!;
    dst = first.startsWith('[') ? first.slice(1, first.indexOf(']')) : first.split(':')[0]!;
  }
  for (const chain of ['KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-NODEPORTS', 'KUBE-PROXY-FIREWALL']) runChain('filter', chain, dst);
  return { matches, output: outputs.join(', '), masq };
}
