// The file source (-f/--filename, repeatable): files, directories and "-" for stdin, read as
// kubectl reads them, into one snapshot. This module does the reading; documents.ts splits
// the text and objects.ts turns documents into the snapshot.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { parseDocuments, type SourceDocument } from './documents.js';
import { goCompare } from './go-order.js';
import { snapshotFromDocuments } from './objects.js';
import type { SourceRequest } from './source.js';
import type { Snapshot } from './types.js';

/** What kubectl reads from a directory (not recursively), in name order. */
export const FILE_EXTENSIONS = ['.json', '.yaml', '.yml'] as const;

/** kubectl's name for standard input in messages. */
export const STDIN_NAME = 'STDIN';

interface Input {
  source: string;
  text: string;
}

/** Reads every -f value in order into one snapshot; namespaced objects without one get -n or "default". */
export async function loadFiles(req: SourceRequest): Promise<Snapshot> {
  const docs: SourceDocument[] = [];
  for (const name of req.filenames) {
    for (const input of await readInputs(name, req)) docs.push(...parseDocuments(input.source, input.text));
  }
  return snapshotFromDocuments(docs, `files: ${req.filenames.join(', ')}`, {
    namespace: req.namespace ?? 'default',
    verbose: req.verbose,
    warn: req.warn,
  });
}

async function readInputs(name: string, req: SourceRequest): Promise<Input[]> {
  if (name === '-') return [{ source: STDIN_NAME, text: await req.readStdin() }];
  if (/^https?:\/\//i.test(name)) throw new InputError(`${name}: reading from a URL is not supported: download the file and pass its path`);
  const info = await stat(name).catch((e: NodeJS.ErrnoException) => {
    throw fileError(name, e);
  });
  if (!info.isDirectory()) return [{ source: name, text: await readText(name) }];
  const entries = (await readdir(name, { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
    throw fileError(name, e);
  }))
    .filter((e) => !e.isDirectory() && FILE_EXTENSIONS.some((ext) => e.name.endsWith(ext)))
    .map((e) => e.name)
    .sort(goCompare); // Go's sort.Strings order: filepath.Walk lists a directory that way
  if (entries.length === 0) {
    throw new InputError(`error reading [${name}]: recognized file extensions are [${FILE_EXTENSIONS.join(' ')}]`);
  }
  const inputs: Input[] = [];
  for (const entry of entries) {
    const path = join(name, entry);
    inputs.push({ source: path, text: await readText(path) });
  }
  return inputs;
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw fileError(path, e as NodeJS.ErrnoException);
  }
}

function fileError(path: string, e: NodeJS.ErrnoException): InputError {
  switch (e.code) {
    case 'ENOENT':
      return new InputError(`the path "${path}" does not exist`); // kubectl's words
    case 'EACCES':
    case 'EPERM':
      return new InputError(`${path}: permission denied`);
    case 'EISDIR':
      return new InputError(`${path}: is a directory`);
    default:
      return new InputError(`${path}: ${e.message}`);
  }
}

