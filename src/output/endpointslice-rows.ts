// `get endpointslices`: printers.go's endpointSliceColumnDefinitions and printEndpointSlice.
import type { EndpointSlice } from '../cluster/types.js';
import { translateTimestampSince } from './duration.js';
import { listWithMore } from './lists.js';
import { formatDiscoveryPorts } from './ports.js';
import type { ColumnDefinition } from './table.js';

export const endpointSliceColumns: readonly ColumnDefinition[] = [
  { name: 'Name' },
  { name: 'AddressType' },
  { name: 'Ports' },
  { name: 'Endpoints' },
  { name: 'Age' },
];

/** formatDiscoveryEndpoints: every address of every endpoint, ready or not; 3, then "+ N more...". */
export function formatDiscoveryEndpoints(slice: EndpointSlice): string {
  return listWithMore(
    (slice.endpoints ?? []).flatMap((e) => e.addresses ?? []),
    3,
  );
}

/** printEndpointSlice: Name, AddressType, Ports, Endpoints, Age. */
export function printEndpointSlice(slice: EndpointSlice, now: Date): string[] {
  return [
    slice.metadata?.name ?? '',
    slice.addressType ?? '',
    formatDiscoveryPorts(slice.ports),
    formatDiscoveryEndpoints(slice),
    translateTimestampSince(slice.metadata?.creationTimestamp, now),
  ];
}
