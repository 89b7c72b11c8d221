// A port of kube-proxy's test normalisation (pkg/proxy/iptables/proxier_test.go,
// sortIPTablesRules and orderByCommentServiceName, kubernetes ~v1.33): kube-proxy walks its
// services in Go map order, so its tests sort the restore payload before comparing:
//   - tables by name; chains KUBE-NODEPORTS, KUBE-SERVICES, other KUBE-* by name, then the rest;
//   - rules grouped by chain in that order (iptablestest.Dump.String());
//   - KUBE-NODEPORTS (filter and nat) and KUBE-SERVICES (filter and nat) rules stably sorted
//     by the service name in their comment (up to the first space or colon), nat KUBE-SERVICES'
//     "must be the last rule" rule last.

interface DumpChain {
  name: string;
  line: string;
  rules: string[];
}

interface DumpTable {
  name: string;
  chains: DumpChain[];
  deleted: string[];
}

/** Splits a rule into words, a double-quoted word kept whole (quotes removed). */
export function ruleWords(line: string): string[] {
  const words: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line))) words.push(m[1] ?? m[2]!);
  return words;
}

export function commentOf(line: string): string | null {
  const words = ruleWords(line);
  const i = words.indexOf('--comment');
  return i >= 0 && i + 1 < words.length ? words[i + 1]! : null;
}

export function parseDump(text: string): DumpTable[] {
  const tables: DumpTable[] = [];
  let table: DumpTable | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('*')) {
      table = { name: line.slice(1), chains: [], deleted: [] };
      tables.push(table);
    } else if (line === 'COMMIT') {
      table = null;
    } else if (!table) {
      throw new Error(`rule outside a table: ${line}`);
    } else if (line.startsWith(':')) {
      table.chains.push({ name: line.slice(1).split(' ')[0]!, line, rules: [] });
    } else if (line.startsWith('-X ')) {
      table.deleted.push(line);
    } else if (line.startsWith('-A ')) {
      const name = line.split(' ')[1]!;
      const chain = table.chains.find((c) => c.name === name);
      if (!chain) throw new Error(`rule for undeclared chain ${name}: ${line}`);
      chain.rules.push(line);
    } else {
      throw new Error(`unexpected line: ${line}`);
    }
  }
  return tables;
}

function serviceNameOf(line: string): string | null {
  const c = commentOf(line);
  if (c === null) return null;
  const i = c.search(/[ :]/);
  return i < 0 ? c : c.slice(0, i);
}

function byServiceName(a: string, b: string): number {
  const na = serviceNameOf(a);
  const nb = serviceNameOf(b);
  if (na === null || nb === null) return 0;
  return na < nb ? -1 : na > nb ? 1 : 0;
}

function chainOrder(a: string, b: string): number {
  const rank = (n: string) => (n === 'KUBE-NODEPORTS' ? 0 : n === 'KUBE-SERVICES' ? 1 : n.startsWith('KUBE-') ? 2 : 3);
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

export function sortIPTablesRules(text: string): string {
  const tables = parseDump(text).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const t of tables) {
    t.chains.sort((a, b) => chainOrder(a.name, b.name));
    for (const c of t.chains) {
      if (c.name === 'KUBE-NODEPORTS') c.rules.sort(byServiceName);
      if (c.name === 'KUBE-SERVICES') {
        c.rules.sort((a, b) => {
          if (t.name === 'nat') {
            const lastA = (commentOf(a) ?? '').includes('must be the last rule');
            const lastB = (commentOf(b) ?? '').includes('must be the last rule');
            if (lastA !== lastB) return lastA ? 1 : -1;
          }
          return byServiceName(a, b);
        });
      }
    }
    out.push(`*${t.name}`);
    for (const c of t.chains) out.push(c.line);
    for (const c of t.chains) out.push(...c.rules);
    out.push(...t.deleted);
    out.push('COMMIT');
  }
  return out.join('\n') + '\n';
}

/**
 * checkIPTablesRuleJumps: every jump goes to a declared chain that has rules (KUBE-NODEPORTS
 * may be empty), and every declared service chain is jumped to.
 */
export function checkRuleJumps(text: string): string | null {
  const builtins = new Set(['ACCEPT', 'REJECT', 'DROP', 'MARK', 'RETURN', 'DNAT', 'SNAT', 'MASQUERADE']);
  const fixed = new Set(['KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-FORWARD', 'KUBE-MARK-MASQ', 'KUBE-PROXY-FIREWALL', 'KUBE-FIREWALL']);
  for (const t of parseDump(text)) {
    const created = new Set(t.chains.map((c) => c.name));
    const filled = new Set(t.chains.filter((c) => c.rules.length > 0).map((c) => c.name));
    const jumped = new Set<string>();
    for (const c of t.chains) {
      for (const r of c.rules) {
        const w = ruleWords(r);
        const j = w.indexOf('-j');
        if (j >= 0 && !builtins.has(w[j + 1]!)) jumped.add(w[j + 1]!);
      }
    }
    for (const j of jumped) {
      if (!created.has(j)) return `some chains in ${t.name} are used but were not created: ${j}`;
      if (!filled.has(j) && j !== 'KUBE-NODEPORTS') return `some chains in ${t.name} are jumped to but have no rules: ${j}`;
    }
    for (const c of created) if (!jumped.has(c) && !fixed.has(c)) return `some chains in ${t.name} are created but not used: ${c}`;
  }
  return null;
}
