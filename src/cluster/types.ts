// The object model: @kubernetes/client-node's API types in their wire form. Objects are kept
// exactly as the API server (or a file) gave them, so `-o yaml|json` can print them back
// unchanged; client-node's classes would turn timestamps into Dates and reorder keys.
// Only types are imported here: nothing of client-node is loaded at run time.
import type {
  V1EndpointSlice,
  V1Endpoints,
  V1Namespace,
  V1Node,
  V1Pod,
  V1Service,
  V1ConfigMap,
} from '@kubernetes/client-node';

/** T as JSON carries it: every Date becomes the RFC 3339 string the API sends. */
export type Wire<T> = T extends Date
  ? string
  : T extends Array<infer U>
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;

export type Service = Wire<V1Service>;
export type Endpoints = Wire<V1Endpoints>;
export type EndpointSlice = Wire<V1EndpointSlice>;
export type Pod = Wire<V1Pod>;
export type Node = Wire<V1Node>;
export type Namespace = Wire<V1Namespace>;
export type ConfigMap = Wire<V1ConfigMap>;

/** Any object with apiVersion/kind/metadata, as read from a file or the API. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    creationTimestamp?: string;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** How messages name an object: "namespace/name", or "name" when it has no namespace. */
export function qualifiedName(obj: KubeObject): string {
  const name = obj.metadata?.name ?? '';
  return obj.metadata?.namespace ? `${obj.metadata.namespace}/${name}` : name;
}

/**
 * Proxy settings a source found (a KubeProxyConfiguration file or ConfigMap, OpenShift's
 * cluster network config). Flags override them; src/proxy/config.ts merges the two.
 */
export interface SourceProxySettings {
  /** A KubeProxyConfiguration object as found, unvalidated. */
  kubeProxyConfiguration?: Record<string, unknown>;
  /** Cluster network CIDRs (OpenShift `network.config.openshift.io/cluster`). */
  clusterNetworkCIDRs?: string[];
  /** Service network CIDRs, when known. */
  serviceNetworkCIDRs?: string[];
  /** The cluster's network type (`OpenShiftSDN`, `OVNKubernetes`, ...), when known. */
  networkType?: string;
  /** Where these settings came from, for messages ("ConfigMap kube-system/kube-proxy"). */
  origin?: string;
}

/** Everything a command may look at, from one source. Pure data: no I/O hangs off it. */
export interface Snapshot {
  services: Service[];
  endpoints: Endpoints[];
  endpointSlices: EndpointSlice[];
  pods: Pod[];
  nodes: Node[];
  namespaces: Namespace[];
  /** Proxy settings the source carried, if any. */
  proxy?: SourceProxySettings;
  /** Namespace used when -n is not given (the kubeconfig context's, else "default"). */
  defaultNamespace: string;
  /** Human description of the source: "demo", "files: a.yaml, b.yaml", "context admin@ocp4". */
  origin: string;
  /**
   * Namespaces a live source found missing while getting named objects in them (kubectl's
   * Info.Get asks after a NotFound, except in "default"): `get` reports the namespace instead.
   */
  absentNamespaces?: string[];
}

/** Kinds a command asks a source for; a live source lists only these. */
export type Kind = 'Service' | 'Endpoints' | 'EndpointSlice' | 'Pod' | 'Node' | 'Namespace';

export function emptySnapshot(origin: string, defaultNamespace = 'default'): Snapshot {
  return {
    services: [],
    endpoints: [],
    endpointSlices: [],
    pods: [],
    nodes: [],
    namespaces: [],
    defaultNamespace,
    origin,
  };
}
