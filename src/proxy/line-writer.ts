// The restore payload is written as words, as kube-proxy's LineBuffer does: words are joined
// with one space (nested word lists are flattened) and every chain and rule remembers which
// service port and endpoint it stands for, so annotations and -o json need no parsing.

/** The service port (and endpoint) a chain or rule stands for. */
export interface RuleOwner {
  /** "ns/name:port" as kube-proxy prints it */
  servicePort: string;
  namespace: string;
  service: string;
  port: string;
  protocol: string;
  /** "ip:port" of the endpoint, for SEP chains and the rules that jump to them */
  endpoint?: string;
}

export type ChainRole = 'service' | 'local' | 'external' | 'firewall' | 'xlb' | 'endpoint';

export interface ChainLine {
  chain: string;
  owner?: RuleOwner;
  role?: ChainRole;
}

export interface RuleLine {
  chain: string;
  text: string;
  owner?: RuleOwner;
}

export type Words = string | readonly Words[];

function flatten(words: readonly Words[], out: string[]): string[] {
  for (const w of words) {
    if (typeof w === 'string') out.push(w);
    else flatten(w, out);
  }
  return out;
}

/** One table's chain declarations and rules, in the order kube-proxy writes them. */
export class TableBuffer {
  readonly chains: ChainLine[] = [];
  readonly rules: RuleLine[] = [];

  constructor(readonly name: 'filter' | 'nat') {}

  declare(chain: string, owner?: RuleOwner, role?: ChainRole): void {
    this.chains.push({ chain, ...(owner ? { owner } : {}), ...(role ? { role } : {}) });
  }

  /** Writes "-A CHAIN words..." for `owner`. */
  append(chain: string, owner: RuleOwner | undefined, ...words: Words[]): void {
    const text = ['-A', chain, ...flatten(words, [])].join(' ');
    this.rules.push({ chain, text, ...(owner ? { owner } : {}) });
  }

  /** The table as iptables-restore input: "*name", chains, rules, "COMMIT". */
  text(): string {
    const lines = [`*${this.name}`];
    for (const c of this.chains) lines.push(`:${c.chain} - [0:0]`);
    for (const r of this.rules) lines.push(r.text);
    lines.push('COMMIT');
    return lines.join('\n') + '\n';
  }
}

/** A comment word with spaces, written with literal quotes as kube-proxy's `"%s ..."` formats do. */
export const quoted = (text: string) => `"${text}"`;
