// The -o formats of `get` other than tables: json, yaml and name, each as cli-runtime's
// printer writes it, and the error for a format we do not print; and the printer of
// svctrace's own documents (printDocument).
import { UsageError } from '../errors.js';
import { toKubectlJSON } from './json.js';
import { goCompare } from '../cluster/go-order.js';
import { toKubectlYAML } from './yaml.js';

export type OutputFormat = 'table' | 'wide' | 'json' | 'yaml' | 'name';

/** What `get -o` accepts. */
export const GET_OUTPUT_FORMATS: readonly OutputFormat[] = ['json', 'name', 'wide', 'yaml'];

/**
 * The -o value as a format. An unknown one fails with kubectl's NoCompatiblePrinterError
 * text, which lists the allowed formats sorted and comma-joined.
 */
export function parseOutputFormat(value: string | undefined, allowed: readonly OutputFormat[] = GET_OUTPUT_FORMATS): OutputFormat {
  if (value === undefined || value === '') return 'table';
  if ((allowed as readonly string[]).includes(value)) return value as OutputFormat;
  const list = [...allowed].sort(goCompare).join(',');
  throw new UsageError(`unable to match a printer suitable for the output format "${value}", allowed formats are: ${list}`);
}

/**
 * What `get -o json|yaml` prints: one object when exactly one was asked for by name,
 * otherwise a v1 List of everything found (kubectl's printGeneric).
 */
export function genericOutput(items: readonly object[], singleItemImplied: boolean): object {
  if (singleItemImplied && items.length === 1) return items[0]!;
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
}

/**
 * The object without metadata.managedFields: kubectl's OmitManagedFieldsPrinter hides them
 * from -o json/yaml unless --show-managed-fields is given (svctrace has no such flag).
 */
export function withoutManagedFields<T extends object>(obj: T): T {
  const meta = (obj as { metadata?: Record<string, unknown> }).metadata;
  if (!meta || !('managedFields' in meta)) return obj;
  const { managedFields: _omitted, ...rest } = meta;
  return { ...obj, metadata: rest };
}

/**
 * svctrace's own documents (trace, rules, rules --diff, check with -o json|yaml): keys in the
 * order they were built, as 2-space JSON or as YAML (lines never folded). API objects go
 * through printJSON/printYAML instead, which print them as kubectl does (YAML keys sorted).
 */
export async function printDocument(doc: object, format: 'json' | 'yaml' = 'json'): Promise<string> {
  if (format === 'json') return JSON.stringify(doc, null, 2) + '\n';
  const { stringify } = await import('yaml'); // only for -o yaml: not every command loads it
  return stringify(doc, { lineWidth: 0 });
}

export function printJSON(value: object): string {
  return toKubectlJSON(value);
}

export function printYAML(value: object): string {
  return toKubectlYAML(value);
}

/** cli-runtime's name printer: "kind/name", "kind.group/name" for a named API group. */
export function printName(kind: string, group: string, name: string): string {
  const prefix = group ? `${kind.toLowerCase()}.${group}` : kind.toLowerCase();
  return `${prefix}/${name}\n`;
}
