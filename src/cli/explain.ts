// `svctrace explain TYPE[.field.path] [--recursive] [--api-version group/version]`: the
// documentation of a resource or field in `oc explain`'s layout. This command alone decides
// where the schema comes from: the live cluster when no -f/--demo is given and a cluster is
// configured (its /openapi/v3, so its version and CRDs), else the schema built into svctrace.
import { UsageError } from '../errors.js';
import { EXPLAIN_FORMATS, explain, type ExplainFormat, type SchemaSource } from '../explain/explain.js';
import { offlineSource } from '../explain/offline-source.js';
import { sourceKind } from '../cluster/source.js';
import type { CommandContext, CommandResult } from './context.js';
import { notesText, sourceRequest } from './shared.js';


async function schemaSource(ctx: CommandContext, notes: string[]): Promise<SchemaSource> {
  const req = sourceRequest(ctx, notes);
  if (sourceKind(req) === 'live') {
    // live.ts loads client-node only when it connects, so this check stays cheap offline.
    const { clusterConfigured } = await import('../cluster/live.js');
    if (clusterConfigured(req)) return (await import('../explain/live-source.js')).liveSource(req);
  }
  return offlineSource(ctx.env);
}

export async function run(ctx: CommandContext, path: string): Promise<CommandResult> {
  const format = ctx.global.output;
  if (format !== undefined && !(EXPLAIN_FORMATS as readonly string[]).includes(format)) throw new UsageError(`unrecognized format: ${format}`);
  const notes: string[] = [];
  const source = await schemaSource(ctx, notes);
  const apiVersion = ctx.opts.apiVersion as string | undefined;
  const warn = (line: string) => notes.push(line);
  const stdout = await explain(source, path, { recursive: Boolean(ctx.opts.recursive), apiVersion, warn, ...(format ? { format: format as ExplainFormat } : {}) });
  return { stdout, stderr: notesText(notes) };
}
