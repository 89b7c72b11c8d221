// A node's `iptables-save` dump named on the command line (`trace --iptables-save FILE`): the
// only place the tracer's input is read from disk. Parsing is netfilter's (parseRuleset), so a
// malformed dump reports its file and line from there.
import { readFile } from 'node:fs/promises';
import { InputError } from '../errors.js';

/** The dump's text; `flag` names the option in the error (e.g. "--iptables-save"). */
export async function readDumpFile(path: string, flag: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (code ?? String(err));
    throw new InputError(`cannot read ${flag} ${path}: ${why}`);
  }
}
