// The resource types svctrace prints, as kubectl's RESTMapper and printers know them:
// the names a user may type, the kind, group and scope, the table columns and the row
// function. `get` and `describe` both resolve a typed name here.
import { UnknownResourceType } from '../errors.js';
import type { EndpointSlice, Endpoints, Kind, KubeObject, Node, Pod, Service, Snapshot } from '../cluster/types.js';
import { endpointsColumns, printEndpoints } from './endpoints-rows.js';
import { endpointSliceColumns, printEndpointSlice } from './endpointslice-rows.js';
import { nodeColumns, printNode } from './node-rows.js';
import { podColumns, printPod } from './pod-rows.js';
import { printService, serviceColumns } from './service-rows.js';
import type { ColumnDefinition, RowFunction } from './table.js';

export interface ResourceType<T extends KubeObject = KubeObject> {
  /** Plural resource name, as in API paths and NotFound errors. */
  resource: string;
  group: string;
  kind: Kind;
  /** apiVersion to put back on objects that lost it (items of an API list response). */
  apiVersion: string;
  namespaced: boolean;
  /** Every spelling kubectl accepts (lower case). */
  names: readonly string[];
  columns: readonly ColumnDefinition[];
  row: RowFunction<T>;
  objects(snapshot: Snapshot): readonly T[];
}

const asKube = <T>(rt: ResourceType<T & KubeObject>) => rt as unknown as ResourceType;

export const SERVICES = asKube<Service>({
  resource: 'services',
  group: '',
  kind: 'Service',
  apiVersion: 'v1',
  namespaced: true,
  names: ['svc', 'service', 'services'],
  columns: serviceColumns,
  row: printService,
  objects: (s) => s.services,
});

export const ENDPOINTS = asKube<Endpoints>({
  resource: 'endpoints',
  group: '',
  kind: 'Endpoints',
  apiVersion: 'v1',
  namespaced: true,
  names: ['ep', 'endpoints'],
  columns: endpointsColumns,
  row: printEndpoints,
  objects: (s) => s.endpoints,
});

export const ENDPOINT_SLICES = asKube<EndpointSlice>({
  resource: 'endpointslices',
  group: 'discovery.k8s.io',
  kind: 'EndpointSlice',
  apiVersion: 'discovery.k8s.io/v1',
  namespaced: true,
  names: [
    'endpointslice',
    'endpointslices',
    'endpointslice.discovery.k8s.io',
    'endpointslices.discovery.k8s.io',
    'endpointslice.v1.discovery.k8s.io',
    'endpointslices.v1.discovery.k8s.io',
  ],
  columns: endpointSliceColumns,
  row: printEndpointSlice,
  objects: (s) => s.endpointSlices,
});

export const PODS = asKube<Pod>({
  resource: 'pods',
  group: '',
  kind: 'Pod',
  apiVersion: 'v1',
  namespaced: true,
  names: ['po', 'pod', 'pods'],
  columns: podColumns,
  row: printPod,
  objects: (s) => s.pods,
});

export const NODES = asKube<Node>({
  resource: 'nodes',
  group: '',
  kind: 'Node',
  apiVersion: 'v1',
  namespaced: false,
  names: ['no', 'node', 'nodes'],
  columns: nodeColumns,
  row: printNode,
  objects: (s) => s.nodes,
});

export const RESOURCE_TYPES: readonly ResourceType[] = [SERVICES, ENDPOINTS, ENDPOINT_SLICES, PODS, NODES];

/** "services", "endpointslices.discovery.k8s.io": the name kubectl's errors use. */
export const qualifiedResource = (rt: ResourceType) => (rt.group ? `${rt.resource}.${rt.group}` : rt.resource);

/** "service", "endpointslice.discovery.k8s.io": the prefix of `-o name` and of multi-kind tables. */
export const kindPrefix = (rt: ResourceType) => (rt.group ? `${rt.kind.toLowerCase()}.${rt.group}` : rt.kind.toLowerCase());

/** The resource type a user typed (case-insensitive), or kubectl's error for an unknown one. */
export function resolveResourceType(typed: string): ResourceType {
  const name = typed.toLowerCase();
  const found = RESOURCE_TYPES.find((rt) => rt.names.includes(name));
  if (!found) throw new UnknownResourceType(typed);
  return found;
}

/** The object with apiVersion and kind, which API list items lack and kubectl puts back. */
export function withTypeMeta(rt: ResourceType, obj: KubeObject): KubeObject {
  if (obj.apiVersion && obj.kind) return obj;
  return { ...obj, apiVersion: obj.apiVersion || rt.apiVersion, kind: obj.kind || rt.kind };
}
