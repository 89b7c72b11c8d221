// svctrace's own part of `describe svc`: after kubectl's text, the join from the
// service to the pods its selector matches and to its endpoints, one section each, drawn
// as small kubectl-style tables indented under a title.
import type { PodEndpointExplanation, SliceSource } from '../cluster/resolver.js';
import type { EndpointSlice, Service } from '../cluster/types.js';
import { joinHostPort } from '../proxy/names.js';
import type { Palette } from './color.js';
import { escapeTerminal } from './terminal.js';
import { goCompare } from '../cluster/go-order.js';
import { formatLabels } from './labels.js';
import { podIP, summarizePod } from './pod-rows.js';
import { alignTable } from './table.js';

/** Two more spaces before every non-empty line. */
export const indent = (text: string) =>
  text
    .split('\n')
    .map((line) => (line === '' ? line : '  ' + line))
    .join('\n');

/** A section: a title line, then its body indented by two spaces. */
export function section(title: string, body: string, colors: Palette): string {
  return `${colors.header(title)}\n${indent(body)}`;
}

/**
 * A table whose header is coloured after alignment. Cells may carry colour (alignment
 * ignores it); object text in them must already be escaped.
 */
export function table(header: string[], rows: string[][], colors: Palette): string {
  const text = alignTable([header, ...rows]);
  const nl = text.indexOf('\n');
  return colors.header(text.slice(0, nl)) + text.slice(nl);
}

/** What the resolver says of one selected pod (explainPodEndpoints); the fields shown here. */
export type PodJoin = Pick<PodEndpointExplanation, 'pod' | 'endpoint' | 'ready' | 'reasons'>;

/** The ENDPOINT cell: "yes", "no: why", or why a listed endpoint is not ready (the resolver's words). */
function endpointCell(join: PodJoin, colors: Palette): string {
  const why = escapeTerminal(join.reasons.map((r) => r.message).join('; '));
  if (join.endpoint && join.ready) return why ? colors.warn(`yes (${why})`) : colors.good('yes');
  if (join.endpoint) return colors.bad(why || 'not ready');
  return colors.bad(why ? `no: ${why}` : 'no');
}

/** "Pods": every pod the selector matches, with READY/STATUS as `get pods` shows them and whether it is an endpoint. */
export function podsSection(service: Service, joins: readonly PodJoin[], colors: Palette): string {
  const selector = service.spec?.selector;
  if (!selector || Object.keys(selector).length === 0) {
    const why =
      service.spec?.type === 'ExternalName'
        ? 'none: an ExternalName service selects no pods'
        : 'none: the service has no selector (its endpoints are managed by hand or by another controller)';
    return section('Pods:', why + '\n', colors);
  }
  const title = `Pods (selector ${formatLabels(selector)}):`;
  if (joins.length === 0) return section(title, colors.bad('none: no pod in the namespace has these labels') + '\n', colors);
  // In name order, as `get pods` lists them.
  const sorted = [...joins].sort((a, b) => goCompare(a.pod.metadata?.name ?? '', b.pod.metadata?.name ?? ''));
  const rows = sorted.map((j) => {
    const s = summarizePod(j.pod);
    const cells = [j.pod.metadata?.name ?? '', `${s.ready}/${s.total}`, s.reason, podIP(j.pod), j.pod.spec?.nodeName || '<none>'];
    return [...cells.map(escapeTerminal), endpointCell(j, colors)];
  });
  return section(title, table(['NAME', 'READY', 'STATUS', 'IP', 'NODE', 'ENDPOINT'], rows, colors), colors);
}

const SOURCE_NOTE: Record<SliceSource, string> = {
  EndpointSlice: 'from EndpointSlices',
  Endpoints: 'from the Endpoints object, as mirrored into EndpointSlices',
  derived: 'derived from Pods: the snapshot holds no EndpointSlices or Endpoints for this service',
  none: 'none',
};


const condition = (value: boolean | null | undefined) => (value == null ? '<unset>' : String(value));

/** One row per service port and endpoint: where kube-proxy would send that port's traffic. */
export function endpointRows(service: Service, slices: readonly EndpointSlice[]): string[][] {
  const rows: string[][] = [];
  for (const sp of service.spec?.ports ?? []) {
    const name = sp.name ?? '';
    for (const slice of slices) {
      const port = (slice.ports ?? []).find((p) => (p.name ?? '') === name);
      // A slice without ports belongs to a headless service without ports: bare addresses.
      if (!port && (slice.ports ?? []).length > 0) continue;
      for (const e of slice.endpoints ?? []) {
        const address = e.addresses[0] ?? '';
        rows.push([
          name || '<unset>',
          port?.port != null ? joinHostPort(address, port.port) : address,
          condition(e.conditions?.ready),
          condition(e.conditions?.serving),
          condition(e.conditions?.terminating),
          e.nodeName || '<none>',
          e.targetRef?.name ?? '<none>',
        ]);
      }
    }
  }
  return rows;
}

/** "Endpoints": every endpoint per service port with its conditions, and where the list came from. */
export function endpointsSection(service: Service, slices: readonly EndpointSlice[], source: SliceSource, colors: Palette): string {
  if (service.spec?.type === 'ExternalName') {
    return section('Endpoints:', 'none: an ExternalName service has no endpoints (DNS answers with a CNAME)\n', colors);
  }
  if (source === 'none') {
    return section('Endpoints:', colors.bad('none: the snapshot holds no EndpointSlices, Endpoints or selected Pods for this service') + '\n', colors);
  }
  const title = `Endpoints (${SOURCE_NOTE[source]}):`;
  const rows = endpointRows(service, slices).map((r) => {
    const [port, address, ready, ...rest] = r.map(escapeTerminal) as [string, string, string, ...string[]];
    return [port, address, ready === 'false' ? colors.bad(ready) : colors.good(ready), ...rest];
  });
  if (rows.length === 0) return section(title, colors.bad('none') + '\n', colors);
  return section(title, table(['PORT', 'ENDPOINT', 'READY', 'SERVING', 'TERMINATING', 'NODE', 'POD'], rows, colors), colors);
}
