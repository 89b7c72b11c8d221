// The kube-proxy model every proxy command starts from: the snapshot, the KubeProxyConfiguration
// file (--proxy-config), and the per-node configuration built from flags, file and snapshot,
// with the notes a user should see about them (a dataplane that is not kube-proxy, a
// placeholder node).
import { readProxyConfigFile } from '../cluster/proxy-config-file.js';
import { dataplaneNote } from '../cluster/proxy-settings.js';
import type { Kind, Snapshot } from '../cluster/types.js';
import { buildProxyConfig, proxyFlagValues, type ProxyConfig } from '../proxy/config.js';
import type { CommandContext } from './context.js';
import { snapshotFor } from './shared.js';

export const PROXY_MODEL_KINDS: readonly Kind[] = ['Service', 'Endpoints', 'EndpointSlice', 'Pod', 'Node'];

export interface ProxyModel {
  snapshot: Snapshot;
  config: ProxyConfig;
}

/** Loads the snapshot and builds the node's proxy configuration; notes go to `notes`. */
export async function proxyModelFor(ctx: CommandContext, notes: string[], kinds: readonly Kind[] = PROXY_MODEL_KINDS): Promise<ProxyModel> {
  const path = ctx.opts.proxyConfig as string | undefined;
  const file = path !== undefined ? await readProxyConfigFile(path) : undefined;
  const snapshot = await snapshotFor(ctx, kinds, notes);
  const config = buildProxyConfig({ flags: proxyFlagValues(ctx.opts), ...(file ? { file } : {}), snapshot });
  const dataplane = dataplaneNote({ ...snapshot.proxy, ...(file ? { kubeProxyConfiguration: file.config } : {}) });
  if (dataplane) notes.push(dataplane);
  if (config.nodeSource === 'placeholder') {
    notes.push('note: no Node objects and no --node: modelling a node with no local endpoints and no addresses (use --node and --node-ip)');
  }
  return { snapshot, config };
}
