// The kube-proxy model every proxy command starts from: the snapshot, the KubeProxyConfiguration
// file (--proxy-config), and the per-node configuration built from flags, file and snapshot,
// with the notes a user should see about them (a dataplane that is not kube-proxy, a
// placeholder node); and the proxy flags out of commander's options.
import { readProxyConfigFile, type ProxyConfigFile } from '../cluster/proxy-config-file.js';
import { dataplaneNote } from '../cluster/proxy-settings.js';
import type { Kind, Snapshot } from '../cluster/types.js';
import { buildProxyConfig, type ProxyConfig, type ProxyFlagValues } from '../proxy/config.js';
import type { CommandContext } from './context.js';
import { snapshotFor } from './shared.js';

export const PROXY_MODEL_KINDS: readonly Kind[] = ['Service', 'Endpoints', 'EndpointSlice', 'Pod', 'Node'];

/** The proxy flags out of commander's merged options (the names main.ts declares). */
export function proxyFlagValues(opts: Record<string, unknown>): ProxyFlagValues {
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const out: ProxyFlagValues = {};
  if (str(opts.node) !== undefined) out.node = str(opts.node);
  if (Array.isArray(opts.nodeIp)) out.nodeIp = opts.nodeIp.map(String);
  else if (str(opts.nodeIp) !== undefined) out.nodeIp = [str(opts.nodeIp)!];
  if (str(opts.clusterCidr) !== undefined) out.clusterCidr = str(opts.clusterCidr);
  if (opts.masqueradeAll === true) out.masqueradeAll = true;
  if (str(opts.nodeportAddresses) !== undefined) out.nodeportAddresses = str(opts.nodeportAddresses);
  if (opts.localhostNodeports === false) out.localhostNodeports = false;
  if (str(opts.proxyVersion) !== undefined) out.proxyVersion = str(opts.proxyVersion);
  return out;
}

export interface ProxyModel {
  snapshot: Snapshot;
  config: ProxyConfig;
}

/** The --proxy-config file, when given. */
export async function proxyConfigFile(ctx: CommandContext): Promise<ProxyConfigFile | undefined> {
  const path = ctx.opts.proxyConfig as string | undefined;
  return path !== undefined ? readProxyConfigFile(path) : undefined;
}

/**
 * The node's proxy configuration from flags (default: the command line's), the file and the
 * snapshot; the notes about the dataplane and a placeholder node go to `notes`.
 */
export function proxyConfigFor(
  ctx: CommandContext,
  snapshot: Snapshot,
  file: ProxyConfigFile | undefined,
  notes: string[],
  flags: ProxyFlagValues = proxyFlagValues(ctx.opts),
): ProxyConfig {
  const config = buildProxyConfig({ flags, ...(file ? { file } : {}), snapshot });
  const dataplane = dataplaneNote({ ...snapshot.proxy, ...(file ? { kubeProxyConfiguration: file.config } : {}) });
  if (dataplane) notes.push(dataplane);
  if (config.nodeSource === 'placeholder') {
    notes.push('note: no Node objects and no --node: modelling a node with no local endpoints and no addresses (use --node and --node-ip)');
  }
  return config;
}

/** Loads the snapshot and builds the node's proxy configuration; notes go to `notes`. */
export async function proxyModelFor(ctx: CommandContext, notes: string[], kinds: readonly Kind[] = PROXY_MODEL_KINDS): Promise<ProxyModel> {
  const file = await proxyConfigFile(ctx);
  const snapshot = await snapshotFor(ctx, kinds, notes);
  return { snapshot, config: proxyConfigFor(ctx, snapshot, file, notes) };
}
