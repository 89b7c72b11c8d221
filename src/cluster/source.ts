// Where the objects come from: the built-in demo, files (-f), or a live cluster. This
// module only chooses; each source is its own module, imported when used, so offline
// commands never load @kubernetes/client-node.
import { UsageError } from '../errors.js';
import type { Kind, Snapshot } from './types.js';

export interface SourceRequest {
  /** -f values in order; "-" is standard input. */
  filenames: string[];
  demo: boolean;
  kubeconfig?: string;
  context?: string;
  /** -n: files put namespaced objects that name none here; a live source lists only here. */
  namespace?: string;
  /** -A: a live source lists across all namespaces. */
  allNamespaces: boolean;
  /**
   * -l of `get`, as typed: a live source sends it with its lists (`labelSelector`), as kubectl
   * does, so the server filters; the command still filters what any source gives it.
   */
  labelSelector?: string;
  /**
   * Names `get` asks for, per kind: a live source GETs each object, in order, as kubectl
   * does, instead of listing the kind (a missing one is simply left out).
   */
  names?: Partial<Record<Kind, readonly string[]>>;
  /** Set by `get`, which models no kube-proxy: a live source then reads no proxy settings. */
  noProxySettings?: boolean;
  /** --request-timeout in milliseconds (live only). */
  requestTimeoutMs: number;
  verbose: number;
  env: Record<string, string | undefined>;
  readStdin(): Promise<string>;
  /** Collects notes for stderr (e.g. ignored kinds under -v). */
  warn(line: string): void;
}

export type SourceKind = 'demo' | 'files' | 'live';

export function sourceKind(req: Pick<SourceRequest, 'filenames' | 'demo'>): SourceKind {
  if (req.demo && req.filenames.length > 0) throw new UsageError('--demo and -f/--filename cannot be used together');
  if (req.demo) return 'demo';
  if (req.filenames.length > 0) return 'files';
  return 'live';
}

/** Loads a snapshot holding at least `kinds` (a live source lists only those). */
export async function loadSnapshot(req: SourceRequest, kinds: readonly Kind[]): Promise<Snapshot> {
  switch (sourceKind(req)) {
    case 'demo':
      return (await import('./demo.js')).loadDemo();
    case 'files':
      return (await import('./files.js')).loadFiles(req);
    case 'live':
      return (await import('./live.js')).loadLive(req, kinds);
  }
}
