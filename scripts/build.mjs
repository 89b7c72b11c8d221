// Build: type-check and compile src/ to dist/, copy the data files the code reads at run
// time (the demo cluster), and generate the offline explain schema from kubernetes-models.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const DATA_FILE = /\.(ya?ml|json)$/;

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function copyData(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) copyData(path);
    else if (DATA_FILE.test(name)) cpSync(path, join(root, 'dist', relative(join(root, 'src'), path)));
  }
}

rmSync(join(root, 'dist'), { recursive: true, force: true });
run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json']);
copyData(join(root, 'src'));
const schemaGenerator = join(root, 'scripts/gen-explain-schema.mjs');
if (existsSync(schemaGenerator)) run(process.execPath, [schemaGenerator]);
