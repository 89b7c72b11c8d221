// `npm test`: type-check sources and tests, then run every test/**/*.test.ts with node:test
// through tsx. Extra arguments go to node --test (e.g. --test-name-pattern=trace).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function findTests(dir) {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'fixtures' ? [] : findTests(path);
    return name.endsWith('.test.ts') ? [relative(root, path)] : [];
  });
}

const extra = process.argv.slice(2);
const files = extra.some((a) => a.endsWith('.test.ts')) ? [] : findTests(join(root, 'test'));

if (!process.env.SVCTRACE_SKIP_TYPECHECK) {
  const tc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.test.json'], { cwd: root, stdio: 'inherit' });
  if (tc.status !== 0) process.exit(tc.status ?? 1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...extra, ...files], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
