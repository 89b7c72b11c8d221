// A file named by a flag (`--iptables-save FILE`, `rules --diff FILE`, `--proxy-config FILE`),
// read whole. What is in it is parsed elsewhere (a dump by netfilter's parseRuleset, which
// names the file and line of a bad rule; a KubeProxyConfiguration by proxy-config-file.ts).
import { readFile } from 'node:fs/promises';
import { InputError } from '../errors.js';

/** The file's text; `flag` names the option in the one-line error (e.g. "--iptables-save"). */
export async function readFlagFile(path: string, flag: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (code ?? String(err));
    throw new InputError(`cannot read ${flag} ${path}: ${why}`);
  }
}
