// `explain TYPE[.field.path]` end to end, whatever the schema comes from: resolve the type
// against discovery, find its group-version in the /openapi/v3 index, fetch that one
// document and render it (kubectl explain/v2/explain.go printModelDescriptionWithGenerator).
import { UsageError } from '../errors.js';
import { renderExplain, TemplateError, gvrString, type OpenApiDoc } from './render.js';
import { NoResourceMatch, resolveTarget, type ApiResourceList, type ExplainTarget, type Warn } from './resources.js';

/** The /openapi/v3 index: each group-version ("api/v1", "apis/apps/v1") and its document URL. */
export interface OpenApiIndex {
  paths: Record<string, { serverRelativeURL: string }>;
}

/** Where schemas come from: the offline files built with svctrace, or a live cluster. */
export interface SchemaSource {
  /**
   * Discovery, highest priority first (core first). With `all` false a source may answer
   * with the core group only, which is all most names need (a cluster answers in one request).
   */
  resourceLists(all: boolean): Promise<ApiResourceList[]>;
  openApiIndex(): Promise<OpenApiIndex>;
  /** The document an index entry points at. */
  openApiDocument(serverRelativeURL: string): Promise<OpenApiDoc>;
}

export interface ExplainOptions {
  recursive: boolean;
  /** --api-version: explain the type in this group/version. */
  apiVersion?: string;
  /** kubectl's warnings (an ambiguous short name), for stderr. */
  warn?: Warn;
}

/** The explain text for `input`, or a UsageError with kubectl's message. */
export async function explain(source: SchemaSource, input: string, opts: ExplainOptions): Promise<string> {
  const target = await resolve(source, input, opts);
  const { gvr, fieldPath } = target;
  const index = await source.openApiIndex();
  const key = gvr.group ? `apis/${gvr.group}/${gvr.version}` : `api/${gvr.version}`;
  const entry = index.paths?.[key];
  if (!entry) throw new UsageError(`couldn't find resource for "${gvrString(gvr)}"`);
  const doc = await source.openApiDocument(entry.serverRelativeURL);
  try {
    return renderExplain(doc, gvr, fieldPath, { recursive: opts.recursive });
  } catch (err) {
    if (err instanceof TemplateError) throw new UsageError(err.message.replace(/^error: /, ''));
    throw err;
  }
}

/**
 * Resolves the name against the core group first and asks for every group only when core
 * has no such resource. kubectl reads all groups, but a core match wins its priority order
 * anyway ("resource.group" prefixes of other groups cannot beat a core plural, and a core
 * singular or short name shares no prefix with them); only kubectl's warning about a short
 * name that other groups also use (ev) needs the other groups.
 */
async function resolve(source: SchemaSource, input: string, opts: ExplainOptions): Promise<ExplainTarget> {
  try {
    return resolveTarget(input, await source.resourceLists(false), opts.apiVersion, opts.warn);
  } catch (err) {
    if (!(err instanceof NoResourceMatch)) throw err;
  }
  return resolveTarget(input, await source.resourceLists(true), opts.apiVersion, opts.warn);
}
