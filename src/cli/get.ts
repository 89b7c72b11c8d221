// `svctrace get TYPE[,TYPE...] [NAME...]`: kubectl get's tables and -o formats over a
// snapshot. Parse the arguments and flags, collect the objects, print them; the output
// modules do the rest.
import { EXIT, NotFoundError, UsageError } from '../errors.js';
import { matchesSelector, parseSelector, type LabelSelector } from '../cluster/selector.js';
import type { Kind, KubeObject, Snapshot } from '../cluster/types.js';
import { genericOutput, parseOutputFormat, printJSON, printName, printYAML, withoutManagedFields, type OutputFormat } from '../output/formats.js';
import { goCompare } from '../cluster/go-order.js';
import { kindPrefix, qualifiedResource, resolveResourceType, withTypeMeta, type ResourceType } from '../output/resources.js';
import { renderTable } from '../output/table.js';
import type { CommandContext, CommandResult } from './context.js';
import { notesText, snapshotFor, withKnownTypeHint } from './shared.js';

/** One resource type asked for, with the names asked for (none: list them all). */
export interface GetRequest {
  type: ResourceType;
  names: string[];
}

/**
 * kubectl's ResourceTypeOrNameArgs: "svc", "svc,ep" followed by names, or every argument
 * in "type/name" form ("svc/web ep/web").
 */
export function parseGetArgs(type: string, names: readonly string[]): GetRequest[] {
  if (type.includes('/')) {
    return [type, ...names].map((arg) => {
      const [t, n, ...rest] = arg.split('/');
      if (!t || !n || rest.length > 0) throw new UsageError('arguments in resource/name form must have a single resource and name');
      return { type: resolveResourceType(t), names: [n] };
    });
  }
  if (names.some((n) => n.includes('/'))) {
    throw new UsageError(
      "there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'svctrace get resource/<resource_name>' instead of 'svctrace get resource resource/<resource_name>'",
    );
  }
  const types = type.split(',').filter((t) => t !== '');
  if (types.length === 0) throw new UsageError('you must specify the type of resource to get');
  return types.map((t) => ({ type: resolveResourceType(t), names: [...names] }));
}

interface Scope {
  namespace: string;
  allNamespaces: boolean;
  selector?: LabelSelector;
}

const inScope = (rt: ResourceType, obj: KubeObject, scope: Scope) =>
  !rt.namespaced || scope.allNamespaces || (obj.metadata?.namespace ?? '') === scope.namespace;

/** Lists come back as the API server lists them: by namespace, then name. */
const byNamespaceAndName = (a: KubeObject, b: KubeObject) =>
  goCompare(a.metadata?.namespace ?? '', b.metadata?.namespace ?? '') || goCompare(a.metadata?.name ?? '', b.metadata?.name ?? '');

/** What one request found: the objects in order, and kubectl's error for each missing name. */
export interface Found {
  request: GetRequest;
  objects: KubeObject[];
  errors: string[];
}

export function collect(snapshot: Snapshot, request: GetRequest, scope: Scope): Found {
  const rt = request.type;
  const all = rt.objects(snapshot).filter((o) => inScope(rt, o, scope));
  if (request.names.length === 0) {
    const objects = all.filter((o) => !scope.selector || matchesSelector(scope.selector, o.metadata?.labels)).sort(byNamespaceAndName);
    return { request, objects, errors: [] };
  }
  const objects: KubeObject[] = [];
  const errors: string[] = [];
  const namespaceAbsent = rt.namespaced && !scope.allNamespaces && (snapshot.absentNamespaces ?? []).includes(scope.namespace);
  for (const name of request.names) {
    const obj = all.find((o) => o.metadata?.name === name);
    if (obj) objects.push(obj);
    else errors.push(namespaceAbsent ? new NotFoundError('namespaces', scope.namespace).message : new NotFoundError(qualifiedResource(rt), name).message);
  }
  return { request, objects, errors };
}

interface PrintFlags {
  format: OutputFormat;
  noHeaders: boolean;
  showLabels: boolean;
  allNamespaces: boolean;
  namespace: string;
  now: Date;
}

/** The tables, one per type with rows, separated by a blank line (kubectl's separatorWriter). */
function printTables(found: readonly Found[], flags: PrintFlags): string {
  // kubectl prefixes names with their kind when the answer spans several kinds; a list
  // request counts even when empty (the server answers it with a table).
  const kinds = new Set(found.filter((f) => f.request.names.length === 0 || f.objects.length > 0).map((f) => f.request.type));
  const tables = found.map(({ request, objects }) =>
    renderTable(request.type.columns, request.type.row, objects, flags.now, {
      wide: flags.format === 'wide',
      withNamespace: flags.allNamespaces && request.type.namespaced,
      showLabels: flags.showLabels,
      noHeaders: flags.noHeaders,
      kindPrefix: kinds.size > 1 ? kindPrefix(request.type) : undefined,
    }),
  );
  return tables.filter((t) => t !== '').join(flags.noHeaders ? '' : '\n');
}

function noResourcesLine(found: readonly Found[], flags: PrintFlags): string {
  const allNamespaced = !flags.allNamespaces && found.every((f) => f.request.type.namespaced);
  return allNamespaced ? `No resources found in ${flags.namespace} namespace.\n` : 'No resources found\n';
}

export async function run(ctx: CommandContext, type: string, names: string[] = []): Promise<CommandResult> {
  const g = ctx.global;
  const format = parseOutputFormat(g.output);
  const requests = await withKnownTypeHint(ctx, () => parseGetArgs(type, names), (known, typed) =>
    `svctrace get reads services, endpoints, endpointslices, pods and nodes, not ${known}: use kubectl get ${typed}`);
  const named = requests.some((r) => r.names.length > 0);
  if (named && g.allNamespaces) throw new UsageError('a resource cannot be retrieved by name across all namespaces');
  if (named && g.selector !== undefined) throw new UsageError('name cannot be provided when a selector is specified');
  const selector = g.selector !== undefined ? parseSelector(g.selector) : undefined;

  const notes: string[] = [];
  const kinds = [...new Set(requests.map((r) => r.type.kind))];
  // A live source sends -l with its lists and GETs named objects, as kubectl does.
  const wantedNames: Partial<Record<Kind, string[]>> = {};
  for (const r of requests) if (r.names.length > 0) (wantedNames[r.type.kind] ??= []).push(...r.names);
  const snapshot = await snapshotFor(ctx, kinds, notes, {
    noProxySettings: true,
    ...(g.selector !== undefined ? { labelSelector: g.selector } : {}),
    ...(named ? { names: wantedNames } : {}),
  });
  const flags: PrintFlags = {
    format,
    noHeaders: ctx.opts.headers === false,
    showLabels: Boolean(ctx.opts.showLabels),
    allNamespaces: Boolean(g.allNamespaces),
    namespace: g.namespace ?? snapshot.defaultNamespace,
    now: ctx.now,
  };
  const found = requests.map((r) => collect(snapshot, r, { namespace: flags.namespace, allNamespaces: flags.allNamespaces, selector }));
  const errors = found.flatMap((f) => f.errors);
  const items = found.flatMap((f) => f.objects.map((o) => withoutManagedFields(withTypeMeta(f.request.type, o))));

  let stdout = '';
  let stderr = notesText(notes);
  switch (format) {
    case 'table':
    case 'wide':
      stdout = printTables(found, flags);
      if (stdout === '' && errors.length === 0) stderr += noResourcesLine(found, flags);
      break;
    case 'name':
      stdout = found.flatMap((f) => f.objects.map((o) => printName(f.request.type.kind, f.request.type.group, o.metadata?.name ?? ''))).join('');
      break;
    case 'json':
    case 'yaml': {
      // kubectl prints the object itself for exactly one "type name" pair, else a List.
      const single = requests.length === 1 && requests[0]!.names.length === 1;
      if (single && items.length === 0) break;
      const value = genericOutput(items, single);
      stdout = format === 'json' ? printJSON(value) : printYAML(value);
      break;
    }
  }
  stderr += errors.map((e) => e + '\n').join('');
  return { stdout, stderr, exitCode: errors.length > 0 ? EXIT.USAGE : EXIT.OK };
}
