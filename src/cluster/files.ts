// SCAFFOLD: replaced by the file source.
import { UsageError } from '../errors.js';
import type { SourceRequest } from './source.js';
import type { Snapshot } from './types.js';

export async function loadFiles(_req: SourceRequest): Promise<Snapshot> {
  throw new UsageError('-f is not implemented yet');
}
