// SCAFFOLD: replaced by the demo source.
import { UsageError } from '../errors.js';
import type { Snapshot } from './types.js';

export async function loadDemo(): Promise<Snapshot> {
  throw new UsageError('--demo is not implemented yet');
}
