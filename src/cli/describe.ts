// `svctrace describe svc NAME`: kubectl's `describe service` text, then the join kubectl
// does not show: the pods the selector matches (endpoint or not, and why), the endpoints
// per port and where they came from, and the chains kube-proxy writes for each port.
import { UsageError } from '../errors.js';
import { findService } from '../cluster/lookup.js';
import { endpointSlicesFor, explainPodEndpoints } from '../cluster/resolver.js';
import type { Service, Snapshot } from '../cluster/types.js';
import type { ProxyConfig } from '../proxy/config.js';
import { chainView } from '../proxy/summary.js';
import { chainsSection } from '../output/chains.js';
import { palette } from '../output/color.js';
import { describeService } from '../output/describe-service.js';
import { resolveResourceType, SERVICES } from '../output/resources.js';
import { endpointsSection, podsSection } from '../output/service-join.js';
import type { CommandContext, CommandResult } from './context.js';
import { proxyModelFor } from './proxy-model.js';
import { notesText, withKnownTypeHint } from './shared.js';

/** The whole description of one service: kubectl's text, a blank line, then each section. */
export function describeServiceJoin(snapshot: Snapshot, service: Service, config: ProxyConfig, color: boolean): string {
  const colors = palette(color);
  const resolved = endpointSlicesFor(snapshot, service);
  const chains = chainView(snapshot, service, config);
  const sections = [
    describeService(service, resolved.slices),
    podsSection(service, explainPodEndpoints(snapshot, service, resolved), colors),
    endpointsSection(service, resolved.slices, resolved.source, colors),
    chainsSection(service, chains, colors),
  ];
  return sections.map((s) => (s.endsWith('\n') ? s : s + '\n')).join('\n');
}

export async function run(ctx: CommandContext, type: string, name: string): Promise<CommandResult> {
  const rt = await withKnownTypeHint(ctx, () => resolveResourceType(type), (known, typed) =>
    `svctrace describes services only, not ${known}: use kubectl describe ${typed} ${name}`);
  if (rt !== SERVICES) throw new UsageError(`svctrace describes services only; for ${rt.resource} use "svctrace get ${type} ${name}"`);
  if (ctx.global.output !== undefined) throw new UsageError('describe prints text only: -o/--output does not apply');
  if (ctx.global.allNamespaces) throw new UsageError('a resource cannot be retrieved by name across all namespaces');
  const notes: string[] = [];
  const { snapshot, config } = await proxyModelFor(ctx, notes);
  const namespace = ctx.global.namespace ?? snapshot.defaultNamespace;
  const service = findService(snapshot, namespace, name);
  return { stdout: describeServiceJoin(snapshot, service, config, ctx.color), stderr: notesText(notes) };
}
