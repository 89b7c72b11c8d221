// SCAFFOLD: replaced by the live-cluster source.
import { ClusterError } from '../errors.js';
import type { SourceRequest } from './source.js';
import type { Kind, Snapshot } from './types.js';

export async function loadLive(_req: SourceRequest, _kinds: readonly Kind[]): Promise<Snapshot> {
  throw new ClusterError('live clusters are not supported yet: use --demo or -f');
}

/** GETs an API path (e.g. "/openapi/v3") with the kubeconfig's credentials; parsed JSON. */
export async function fetchJSON(_req: SourceRequest, _path: string): Promise<unknown> {
  throw new ClusterError('live clusters are not supported yet: use --demo or -f');
}
