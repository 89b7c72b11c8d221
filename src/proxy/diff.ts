// `rules --diff`: the rules svctrace expects kube-proxy to have written against a real node's
// iptables-save dump, both in the canonical save form. Only kube-proxy's part is compared: the
// chains its payload declares and its jumps from the built-in chains; kubelet's, the CNI's
// and anyone else's rules are not svctrace's to judge. Findings:
//   missing: expected lines the node lacks;
//   extra:   lines in those chains the model does not expect;
//   stale:   per-service chains (KUBE-SVC-, KUBE-SEP-, ...) on the node that the model does not
//            declare at all, i.e. left over from a removed service or endpoint (from 1.26
//            kube-proxy deletes them only on a later full sync).
import { chainNamePattern } from './names.js';
import type { RulesLine } from './node-rules.js';

export interface RulesDiff {
  missing: string[];
  extra: string[];
  stale: string[];
}

const PER_SERVICE_CHAIN = new RegExp(`^${chainNamePattern()}$`);
const PER_SERVICE_CHAIN_IN_TEXT = new RegExp(chainNamePattern(), 'g');

interface Parsed {
  table: string;
  text: string;
  kind: 'chain' | 'rule';
  chain: string;
  /** the -j target of a rule */
  target?: string;
}

function parse(lines: readonly RulesLine[]): Parsed[] {
  const out: Parsed[] = [];
  for (const l of lines) {
    if ((l.kind !== 'chain' && l.kind !== 'rule') || !l.chain) continue;
    const target = l.kind === 'rule' ? / -j (\S+)/.exec(l.text)?.[1] : undefined;
    out.push({ table: l.table, text: l.text, kind: l.kind, chain: l.chain, ...(target ? { target } : {}) });
  }
  return out;
}

const lineKey = (l: Parsed) => `${l.table}\0${l.text}`;

/**
 * The lines of `from` that `minus` lacks, as multisets: a rule repeated n times is matched as
 * often as it occurs.
 */
function subtract(from: readonly Parsed[], minus: readonly Parsed[]): string[] {
  const have = new Map<string, number>();
  for (const l of minus) have.set(lineKey(l), (have.get(lineKey(l)) ?? 0) + 1);
  const left: string[] = [];
  for (const l of from) {
    const n = have.get(lineKey(l)) ?? 0;
    if (n > 0) have.set(lineKey(l), n - 1);
    else left.push(l.text);
  }
  return left;
}

/**
 * @param expected the save-form lines of the node (baseline and payload)
 * @param kubeProxyChains per table, the chains kube-proxy's payload declares
 * @param actual the dump's save-form lines
 */
export function diffRules(expected: readonly RulesLine[], kubeProxyChains: ReadonlyMap<string, ReadonlySet<string>>, actual: readonly RulesLine[]): RulesDiff {
  const ours = (l: Parsed) => {
    const chains = kubeProxyChains.get(l.table);
    if (!chains) return false;
    if (chains.has(l.chain)) return true;
    // A jump from a built-in chain to one of kube-proxy's chains.
    return l.kind === 'rule' && /^[A-Z]+$/.test(l.chain) && l.target !== undefined && chains.has(l.target) && !l.chain.startsWith('KUBE-');
  };
  const exp = parse(expected).filter(ours);
  const expChains = new Set(exp.filter((l) => l.kind === 'chain').map((l) => `${l.table}\0${l.chain}`));
  const act = parse(actual);
  const stale = act.filter((l) => PER_SERVICE_CHAIN.test(l.chain) && !expChains.has(`${l.table}\0${l.chain}`));
  const staleSet = new Set(stale);
  const compared = act.filter((l) => !staleSet.has(l) && ours(l));

  return { missing: subtract(exp, compared), extra: subtract(compared, exp), stale: stale.map((l) => l.text) };
}

/** Keeps the findings about one service: lines naming one of its chains or carrying its comment. */
export function diffForService(diff: RulesDiff, chains: ReadonlySet<string>, commentPrefix: string): RulesDiff {
  const about = (text: string) => text.includes(`"${commentPrefix}`) || text.includes(` ${commentPrefix}`) || [...text.matchAll(PER_SERVICE_CHAIN_IN_TEXT)].some((m) => chains.has(m[0]));
  return { missing: diff.missing.filter(about), extra: diff.extra.filter(about), stale: diff.stale.filter(about) };
}
