// SCAFFOLD: replaced by the implementation of `svctrace get`.
import { UsageError } from '../errors.js';
import type { CommandContext, CommandResult } from './context.js';

export async function run(_ctx: CommandContext, ..._args: unknown[]): Promise<CommandResult> {
  throw new UsageError('get is not implemented yet');
}
