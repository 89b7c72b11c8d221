// SCAFFOLD: replaced by the implementation of `svctrace trace`.
import { UsageError } from '../errors.js';
import type { CommandContext, CommandResult } from './context.js';

export async function run(_ctx: CommandContext, ..._args: unknown[]): Promise<CommandResult> {
  throw new UsageError('trace is not implemented yet');
}
