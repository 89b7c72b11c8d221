// Tests that need root, iptables, network namespaces, kubectl or openssl call `needs()` first.
// Where a prerequisite is missing they skip visibly (node:test prints "# SKIP <why>"), except
// when SVCTRACE_REQUIRE_PREREQS=1 (set by .ci/run): then a missing prerequisite fails the test.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { TestContext } from 'node:test';

export type Prerequisite = 'root' | 'iptables' | 'iptables-legacy' | 'netns' | 'kubectl' | 'ipset' | 'nfacct' | 'openssl';

const cache = new Map<Prerequisite, string | null>();

function commandWorks(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return r.status === 0;
}

/** null when the prerequisite is there, else why not. */
function missing(p: Prerequisite): string | null {
  if (!cache.has(p)) {
    let why: string | null = null;
    switch (p) {
      case 'root':
        if (process.getuid?.() !== 0) why = 'needs root';
        break;
      case 'iptables':
        if (!commandWorks('iptables-nft-restore', ['--version'])) why = 'needs iptables (apt-get install iptables)';
        break;
      case 'iptables-legacy':
        if (!commandWorks('iptables-legacy-restore', ['--version'])) why = 'needs iptables-legacy (apt-get install iptables)';
        break;
      case 'netns':
        if (!commandWorks('ip', ['netns', 'list'])) why = 'needs ip netns (iproute2) and root';
        break;
      case 'ipset':
        if (!commandWorks('ipset', ['--version'])) why = 'needs the ipset tool (apt-get install ipset)';
        break;
      case 'nfacct':
        if (!commandWorks('nfacct', ['version'])) why = 'needs the nfacct tool (apt-get install nfacct)';
        break;
      case 'openssl':
        if (!commandWorks('openssl', ['version'])) why = 'needs openssl, for test certificates (apt-get install openssl)';
        break;
      case 'kubectl':
        if (!commandWorks('kubectl', ['version', '--client'])) why = 'needs kubectl on PATH';
        break;
    }
    cache.set(p, why);
  }
  return cache.get(p)!;
}

export const prerequisitesRequired = () => process.env.SVCTRACE_REQUIRE_PREREQS === '1';

/**
 * True when every prerequisite is present. Otherwise skips the test (returns false), or,
 * under SVCTRACE_REQUIRE_PREREQS=1, fails it.
 */
export function needs(t: TestContext, ...prereqs: Prerequisite[]): boolean {
  const reasons = prereqs.map(missing).filter((r): r is string => r !== null);
  if (reasons.length === 0) return true;
  const why = reasons.join('; ');
  if (prerequisitesRequired()) assert.fail(`missing prerequisite (SVCTRACE_REQUIRE_PREREQS=1): ${why}`);
  t.skip(why);
  return false;
}
