// Ports of the older kube-proxy unit tests' helpers, so their expectations can be checked the
// way those tests checked them:
//  - the fake iptables' GetRules (pkg/util/iptables/testing/fake.go, ~1.9-1.22; read at
//    2018112767/kubernetes b3796c7, a release-1.18 tree): every line of the last restore payload
//    (both tables) that contains "-A CHAIN" becomes a map of the first word after each of a few
//    separators, or nothing when the separator occurs other than exactly once;
//  - the proxier_test.go predicates on those maps: hasJump, hasDNAT, hasSessionAffinityRule,
//    hasSrcType, hasMasqRandomFully;
//  - the ~1.23 sortIPTablesRules / assertIPTablesRuleJumps (bjqian/kubernetes ab8bd51), a
//    regexp-driven normalisation that is not the one of 1.24+ (support/kube-proxy-sort.ts).

/** The separators the fake parses (fake.go constants: each is the flag with its trailing space). */
export const SEP = {
  Destination: '-d ',
  Source: '-s ',
  DPort: '--dport ',
  Protocol: '-p ',
  Jump: '-j ',
  ToDest: '--to-destination ',
  Recent: 'recent ',
  MatchSet: '--match-set ',
  SrcType: '--src-type ',
  Masquerade: 'MASQUERADE ',
} as const;

export type LegacyRule = Partial<Record<(typeof SEP)[keyof typeof SEP], string>>;

/** getToken: the word after `separator`, only if the line splits into exactly two parts. */
function getToken(line: string, separator: string): string {
  const tokens = line.split(separator);
  return tokens.length === 2 ? tokens[1]!.split(' ')[0]! : '';
}

/** FakeIPTables.GetRules(chainName) over the payload kube-proxy last restored. */
export function legacyGetRules(payload: string, chain: string): LegacyRule[] {
  const rules: LegacyRule[] = [];
  for (const l of payload.split('\n')) {
    if (!l.includes(`-A ${chain}`)) continue;
    const rule: LegacyRule = {};
    for (const sep of Object.values(SEP)) {
      const tok = getToken(l, sep);
      if (tok !== '') rule[sep] = tok;
    }
    rules.push(rule);
  }
  return rules;
}

/** proxier_test.go hasJump (unchanged from ~1.9 to ~1.22). */
export function hasJump(rules: readonly LegacyRule[], destChain: string, destIP: string, destPort: number): boolean {
  const destPortStr = String(destPort);
  let match = false;
  for (const r of rules) {
    if (r[SEP.Jump] !== destChain) continue;
    match = true;
    const dst = r[SEP.Destination] ?? '';
    const dport = r[SEP.DPort] ?? '';
    if (destIP !== '') {
      if (dst.includes(destIP) && (dport.includes(destPortStr) || dport === '')) return true;
      match = false;
    }
    if (destPort !== 0) {
      if (dport.includes(destPortStr) && (dst.includes(destIP) || dst === '')) return true;
      match = false;
    }
  }
  return match;
}

export const hasDNAT = (rules: readonly LegacyRule[], endpoint: string) => rules.some((r) => r[SEP.ToDest] === endpoint);
export const hasSessionAffinityRule = (rules: readonly LegacyRule[]) => rules.some((r) => SEP.Recent in r);
export const hasSrcType = (rules: readonly LegacyRule[], srcType: string) => rules.some((r) => r[SEP.SrcType] === srcType);
export const hasMasqRandomFully = (rules: readonly LegacyRule[]) => rules.some((r) => r[SEP.Masquerade] === '--random-fully');

// --- ~1.23 sortIPTablesRules -------------------------------------------------------------

/** findAllMatches: the sorted, unique first-group matches of `pattern` (Go sets.String.List). */
function findAllMatches(lines: readonly string[], pattern: string): string[] {
  const re = new RegExp(pattern);
  const all = new Set<string>();
  for (const line of lines) {
    const m = re.exec(line);
    if (m && m.length === 2 && m[1] !== undefined) all.add(m[1]);
  }
  return [...all].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** moveMatchingLines: lines matching `pattern` (a regexp, used unescaped as Go does) move to output. */
function moveMatchingLines(pattern: string, input: string[], output: string[]): [string[], string[]] {
  const re = new RegExp(pattern);
  const rest: string[] = [];
  for (const line of input) (re.test(line) ? output : rest).push(line);
  return [rest, output];
}

function difference(a: Set<string>, b: Set<string>): string[] {
  return [...a].filter((x) => !b.has(x)).sort();
}

/** assertIPTablesRuleJumps (~1.23): jumps go to created chains that have rules. */
export function assertIPTablesRuleJumps1_23(lines: readonly string[]): string | null {
  const tableName = lines[0];
  const created = new Set(findAllMatches(lines, '^:([^ ]*)'));
  const filled = new Set(findAllMatches(lines, '-A ([^ ]*)'));
  const jumped = new Set(findAllMatches(lines, '-j ([^ ]*)'));
  for (const b of ['ACCEPT', 'REJECT', 'DROP', 'MARK', 'RETURN', 'DNAT', 'SNAT', 'MASQUERADE', 'KUBE-MARK-DROP', 'KUBE-NODEPORTS']) jumped.delete(b);
  const missing = [...new Set([...difference(jumped, created), ...difference(filled, created)])].sort();
  if (missing.length > 0) return `some chains in ${tableName} are used but were not created: [${missing.join(' ')}]`;
  const empty = difference(jumped, filled);
  if (empty.length > 0) return `some chains in ${tableName} are jumped to but have no rules: [${empty.join(' ')}]`;
  return null;
}

/** sortIPTablesRules (~1.23): throws where the Go function returns an error. */
export function sortIPTablesRules1_23(ruleData: string): string {
  const tables = ruleData.replace(/^\n/, '').split('COMMIT\n');
  if (tables.length !== 3 || tables[2] !== '') throw new Error(`wrong number of tables (${tables.length - 1}) in ruleData\n${ruleData}`);
  let output: string[] = [];
  for (const table of tables.slice(0, 2)) {
    let lines = table.replace(/^\n+|\n+$/g, '').split('\n');
    const err = assertIPTablesRuleJumps1_23(lines);
    if (err) throw new Error(err);
    [lines, output] = moveMatchingLines('^\\*', lines, output);
    for (const chainName of findAllMatches(lines, '^(:[^ ]*) ')) [lines, output] = moveMatchingLines(chainName, lines, output);
    for (const svc of findAllMatches(lines, '-A KUBE-NODEPORTS.*--comment "?([^ ]*)')) {
      [lines, output] = moveMatchingLines(`^-A KUBE-NODEPORTS.*${svc}`, lines, output);
    }
    for (const svc of findAllMatches(lines, '-A KUBE-SERVICES.*--comment "?([^ ]*)')) {
      [lines, output] = moveMatchingLines(`^-A KUBE-SERVICES.*${svc}`, lines, output);
    }
    for (const chain of findAllMatches(lines, '(-A KUBE-[^ ]* )')) [lines, output] = moveMatchingLines(chain, lines, output);
    for (const chain of findAllMatches(lines, '(-X KUBE-.*)')) [lines, output] = moveMatchingLines(chain, lines, output);
    [, output] = moveMatchingLines('.', lines, output);
    output.push('COMMIT');
  }
  output.push('');
  return output.join('\n');
}
