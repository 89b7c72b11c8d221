// The rule corpus the kernel tests replay: the *.rules files in test/fixtures/netfilter (each
// says where its rules come from). A file name ending in -ipv6 holds ip6tables rules; a
// `# ipset: create NAME TYPE...` comment names an ipset the rules need, a `# nfacct: NAME`
// comment an accounting object (`nfacct add NAME`, the name is the rest of the line) that
// `-m nfacct` rules need; `# backends: legacy` limits a file to one backend.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Family } from '../../src/netfilter/index.js';
import { BACKENDS, type Backend } from '../helpers/kernel.js';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'netfilter');

export interface Fixture {
  readonly name: string;
  readonly family: Family;
  readonly text: string;
  /** `ipset create` arguments */
  readonly ipsets: string[][];
  /** `nfacct add` names */
  readonly nfacct: string[];
  /** `# backends: legacy` limits a file to the backends whose output svctrace reproduces */
  readonly backends: Backend[];
}

export function readFixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

export function loadFixtures(): Fixture[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.rules'))
    .sort()
    .map((name) => {
      const text = readFixture(name);
      const ipsets = [...text.matchAll(/^# ipset: (.*)$/gm)].map((m) => m[1]!.split(' '));
      const nfacct = [...text.matchAll(/^# nfacct: (.*)$/gm)].map((m) => m[1]!);
      const only = /^# backends: (.*)$/m.exec(text)?.[1]?.split(' ') as Backend[] | undefined;
      return { name, family: name.includes('-ipv6') ? 'ipv6' : 'ipv4', text, ipsets, nfacct, backends: only ?? [...BACKENDS] };
    });
}

/** Number of rules (`-A`/`-I` lines) in a restore text. */
export function countRules(text: string): number {
  return text.split('\n').filter((l) => /^(\[\d+:\d+\] )?-[AI] /.test(l)).length;
}
