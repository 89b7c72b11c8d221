// TYPE[.field.path] to a group/version/resource and a field path, as kubectl explain resolves
// it: client-go's RESTMapper over discovery (short names, plural, singular, any case), the
// first resource whose "resource.group" prefixes the argument (kubectl explain.go
// SplitAndParseResourceRequestWithMatchingPrefix), or with --api-version the first match
// moved to that group/version (SplitAndParseResourceRequest + explain's override).
import { UsageError } from '../errors.js';
import { parsePath, PathSyntaxError, type PathNode } from './jsonpath.js';
import type { Gvr } from './render.js';

/** One entry of a discovery APIResourceList. */
export interface ApiResource {
  name: string;
  singularName?: string;
  namespaced?: boolean;
  kind: string;
  verbs?: string[];
  shortNames?: string[];
}

/** A discovery APIResourceList: the resources of one group-version. */
export interface ApiResourceList {
  groupVersion: string;
  resources: ApiResource[];
}

/** No resource has that name (RESTMapper's NoResourceMatchError). */
export class NoResourceMatch extends UsageError {
  constructor(readonly resource: string) {
    super(`the server doesn't have a resource type "${resource}"`);
  }
}

/** Receives kubectl's warnings (one line each, "Warning: ..."). */
export type Warn = (line: string) => void;

export interface ExplainTarget {
  gvr: Gvr;
  fieldPath: string[];
}

/** schema.ParseGroupVersion: "v1" is core, "g/v" a group, more slashes an error. */
export function parseGroupVersion(text: string): { group: string; version: string } {
  if (text === '' || text === '/') return { group: '', version: '' };
  const parts = text.split('/');
  if (parts.length === 1) return { group: '', version: text };
  if (parts.length === 2) return { group: parts[0]!, version: parts[1]! };
  throw new UsageError(`unexpected GroupVersion string: ${text}`);
}

/**
 * The resources a name means, highest priority first (RESTMapper.ResourcesFor). A short name
 * expands only when no resource has that exact plural or singular; then plural and singular
 * names match in any case.
 */
export function resourcesFor(name: string, lists: readonly ApiResourceList[], warn: Warn = () => {}): Gvr[] {
  const entries = lists.flatMap((list) => {
    const gv = parseGroupVersion(list.groupVersion);
    return list.resources.filter((r) => !r.name.includes('/')).map((r) => ({ ...gv, r }));
  });
  let resource = name;
  let group: string | undefined;
  if (!entries.some(({ r }) => r.name === name || r.singularName === name)) {
    const shorts = entries.filter(({ r }) => r.shortNames?.includes(name));
    if (shorts.length > 0) {
      resource = shorts[0]!.r.name;
      group = shorts[0]!.group;
      // client-go's shortcut expander warns once per other group/resource with that short name.
      const others = new Set(shorts.filter((e) => e.group !== group || e.r.name !== resource).map((e) => (e.group ? `${e.r.name}.${e.group}` : e.r.name)));
      for (const other of others) warn(`Warning: short name "${name}" could also match lower priority resource ${other}`);
    }
  }
  const wanted = resource.toLowerCase();
  const out: Gvr[] = [];
  for (const { group: g, version, r } of entries) {
    if (group !== undefined && g !== group) continue;
    const singular = r.singularName || r.kind.toLowerCase();
    if (r.name === wanted || singular === wanted) out.push({ group: g, version, resource: r.name });
  }
  if (out.length === 0) throw new NoResourceMatch(name);
  return out;
}

function fieldsOf(nodes: readonly PathNode[], message: string): string[] {
  return nodes.map((n) => {
    if (n.type !== 'field') throw new UsageError(`invalid jsonpath syntax, ${message}`);
    return n.value;
  });
}

function parse(input: string): PathNode[] {
  try {
    return parsePath(input);
  } catch (err) {
    if (err instanceof PathSyntaxError) throw new UsageError(err.message);
    throw err;
  }
}

/** The resource named by the first path node; explain only accepts field nodes there. */
function firstField(nodes: readonly PathNode[]): string {
  const first = nodes[0];
  if (!first || first.type !== 'field') throw new UsageError('invalid jsonpath syntax, first node must be field node');
  return first.value;
}

/**
 * The resource and field path an explain argument names. With `apiVersion` the first match
 * is taken and moved to that group/version, as `kubectl explain --api-version` does.
 */
export function resolveTarget(input: string, lists: readonly ApiResourceList[], apiVersion?: string, warn?: Warn): ExplainTarget {
  const nodes = parse(input);
  const resource = firstField(nodes);
  if (apiVersion) {
    const gvr = { ...resourcesFor(resource, lists, warn)[0]! };
    const fieldPath = fieldsOf(nodes.slice(1), 'all nodes must be field nodes');
    const gv = parseGroupVersion(apiVersion);
    return { gvr: { ...gvr, group: gv.group, version: gv.version }, fieldPath };
  }
  const gvrs = resourcesFor(resource, lists, warn);
  for (const gvr of gvrs) {
    // Group-qualified names ("endpointslices.discovery.k8s.io.endpoints") pick their group.
    const groupResource = gvr.group ? `${gvr.resource}.${gvr.group}` : gvr.resource;
    if (!input.startsWith(groupResource)) continue;
    const suffix = input.slice(groupResource.length);
    // kubectl parses ".spec" as "{..spec}" and drops the first node (the "..").
    const rest = suffix ? parse(suffix).slice(1) : [];
    return { gvr, fieldPath: fieldsOf(rest, 'first node must be field node') };
  }
  return { gvr: gvrs[0]!, fieldPath: fieldsOf(nodes.slice(1), 'first node must be field node') };
}
