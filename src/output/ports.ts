// Port cells: a service's PORT(S) and an EndpointSlice's PORTS, as printers.go writes them.
import type { Service } from '../cluster/types.js';
import { listWithMore } from './lists.js';

type ServicePort = NonNullable<NonNullable<Service['spec']>['ports']>[number];

/** The API server defaults a port's protocol to TCP; files may leave it out. */
export const portProtocol = (p: { protocol?: string | null }) => p.protocol || 'TCP';

/** makePortString: "8080/TCP", "8080:32291/TCP" with a node port, joined by ","; "" when none. */
export function makePortString(ports: readonly ServicePort[] | null | undefined): string {
  return (ports ?? [])
    .map((p) => (p.nodePort && p.nodePort > 0 ? `${p.port}:${p.nodePort}/${portProtocol(p)}` : `${p.port}/${portProtocol(p)}`))
    .join(',');
}

/** formatDiscoveryPorts: port numbers ("*" when unset, the name when only that is set), 3 then "+ N more...". */
export function formatDiscoveryPorts(ports: readonly { port?: number | null; name?: string | null }[] | null | undefined): string {
  return listWithMore(
    (ports ?? []).map((p) => (p.port != null ? String(p.port) : p.name != null ? p.name : '*')),
    3,
  );
}
