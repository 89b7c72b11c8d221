// Helpers every command uses to turn flags into pipeline inputs.
import { UnknownResourceType, UsageError } from '../errors.js';
import { loadSnapshot, type SourceRequest } from '../cluster/source.js';
import type { Kind, Snapshot } from '../cluster/types.js';
import type { CommandContext } from './context.js';

/** Parses kubectl-style durations: "30s", "1m", "500ms", "1h", or plain seconds ("0" = none). */
export function parseDuration(text: string, flag = '--request-timeout'): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new UsageError(`invalid ${flag} "${text}": use a duration such as 30s, 1m or 500ms`);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit]!;
  return Math.round(n * factor);
}

/** The source request the global flags describe; warnings are collected into `notes`. */
export function sourceRequest(ctx: CommandContext, notes: string[]): SourceRequest {
  const g = ctx.global;
  return {
    filenames: g.filename ?? [],
    demo: Boolean(g.demo),
    kubeconfig: g.kubeconfig,
    context: g.context,
    namespace: g.namespace,
    allNamespaces: Boolean(g.allNamespaces),
    requestTimeoutMs: parseDuration(g.requestTimeout ?? '30s'),
    verbose: g.verbose ?? 0,
    env: ctx.env,
    readStdin: ctx.readStdin,
    warn: (line) => notes.push(line),
  };
}

/** Loads the snapshot the global flags point at, holding at least `kinds`. */
export function snapshotFor(ctx: CommandContext, kinds: readonly Kind[], notes: string[], narrow: Pick<SourceRequest, 'labelSelector' | 'names' | 'noProxySettings'> = {}): Promise<Snapshot> {
  return loadSnapshot({ ...sourceRequest(ctx, notes), ...narrow }, kinds);
}

/** Joins note lines for CommandResult.stderr. */
export function notesText(notes: readonly string[]): string {
  return notes.map((n) => (n.endsWith('\n') ? n : n + '\n')).join('');
}

/**
 * Runs `parse`; when it fails with kubectl's "doesn't have a resource type" for a type that
 * Kubernetes does have (the built-in explain discovery says which), the error becomes
 * `message(resource[.group], typed)` instead: svctrace reads a few types, Kubernetes has more.
 */
export async function withKnownTypeHint<T>(ctx: CommandContext, parse: () => T, message: (known: string, typed: string) => string): Promise<T> {
  try {
    return parse();
  } catch (err) {
    if (!(err instanceof UnknownResourceType)) throw err;
    const [{ offlineSource }, { resourcesFor }] = await Promise.all([import('../explain/offline-source.js'), import('../explain/resources.js')]);
    let known: string;
    try {
      const gvr = resourcesFor(err.typed, await offlineSource(ctx.env).resourceLists(true))[0]!;
      known = gvr.group ? `${gvr.resource}.${gvr.group}` : gvr.resource;
    } catch {
      throw err; // not a Kubernetes type either (or no built-in schema to tell)
    }
    throw new UsageError(message(known, err.typed));
  }
}
