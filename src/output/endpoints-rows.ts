// `get endpoints`: printers.go's endpointColumnDefinitions, printEndpoints, formatEndpoints.
import type { Endpoints } from '../cluster/types.js';
import { joinHostPort } from '../proxy/names.js';
import { translateTimestampSince } from './duration.js';
import type { ColumnDefinition } from './table.js';

export const endpointsColumns: readonly ColumnDefinition[] = [{ name: 'Name' }, { name: 'Endpoints' }, { name: 'Age' }];

const MAX_SHOWN = 3;

/**
 * formatEndpoints: ready addresses only (never notReadyAddresses), "ip:port" for each
 * port and address, bare IPs for a subset without ports; three, then "+ N more...".
 * `portNames` limits the ports (describe); undefined means all.
 */
export function formatEndpoints(ep: Endpoints, portNames?: ReadonlySet<string>): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  let more = false;
  let count = 0;
  const add = (entry: string) => {
    if (list.length === MAX_SHOWN) more = true;
    else list.push(entry);
  };
  for (const ss of subsets) {
    const addresses = ss.addresses ?? [];
    const ports = ss.ports ?? [];
    if (ports.length === 0) {
      // A headless service may have no ports.
      count += addresses.length;
      for (const a of addresses) add(a.ip);
      continue;
    }
    for (const port of ports) {
      if (portNames && !portNames.has(port.name ?? '')) continue;
      count += addresses.length;
      for (const a of addresses) add(joinHostPort(a.ip, port.port));
    }
  }
  const shown = list.join(',');
  return more ? `${shown} + ${count - MAX_SHOWN} more...` : shown;
}

/** printEndpoints: Name, Endpoints, Age. */
export function printEndpoints(ep: Endpoints, now: Date): string[] {
  return [ep.metadata?.name ?? '', formatEndpoints(ep), translateTimestampSince(ep.metadata?.creationTimestamp, now)];
}
