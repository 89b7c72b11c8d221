// `explain TYPE[.field.path]` end to end, whatever the schema comes from: resolve the type
// against discovery, find its group-version in the /openapi/v3 index, fetch that one
// document and render it (kubectl explain/v2/explain.go printModelDescriptionWithGenerator).
import { UsageError } from '../errors.js';
import { ExplainV2Error, printModelDescriptionV2, SwaggerModels } from './openapi-v2.js';
import { renderExplain, TemplateError, gvrString, type Gvr, type OpenApiDoc } from './render.js';
import { NoResourceMatch, parseGroupVersion, resolveTarget, type ApiResourceList, type ExplainTarget, type Warn } from './resources.js';
import type { SwaggerDoc } from './swagger-from-v3.js';

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
  /** Swagger 2.0 definitions holding at least `gvr`'s (a cluster's /openapi/v2). */
  openApiV2(gvr: Gvr): Promise<SwaggerDoc>;
}

/** What a source's openApiIndex throws when the cluster has no /openapi/v3: kubectl then uses v2. */
export class NoOpenApiV3 extends Error {}

/** kubectl explain's --output values: the OpenAPI v3 template, or the v2 printer. */
export const EXPLAIN_FORMATS = ['plaintext', 'plaintext-openapiv2'] as const;
export type ExplainFormat = (typeof EXPLAIN_FORMATS)[number];

export interface ExplainOptions {
  recursive: boolean;
  /** --api-version: explain the type in this group/version. */
  apiVersion?: string;
  /** kubectl's warnings (an ambiguous short name), for stderr. */
  warn?: Warn;
  /** --output (default plaintext). */
  format?: ExplainFormat;
}

/** The explain text for `input`, or a UsageError with kubectl's message. */
export async function explain(source: SchemaSource, input: string, opts: ExplainOptions): Promise<string> {
  const { target, lists } = await resolve(source, input, opts);
  const { gvr, fieldPath } = target;
  if (opts.format === 'plaintext-openapiv2') return explainV2(source, target, lists, opts);
  let index: OpenApiIndex;
  try {
    index = await source.openApiIndex();
  } catch (err) {
    // kubectl falls back to the v2 printer when the server has no OpenAPI v3 (before 1.24).
    if (err instanceof NoOpenApiV3) return explainV2(source, target, lists, opts);
    throw err;
  }
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
 * kubectl's renderOpenAPIV2: the kind the resource maps to (in any version of its group; with
 * --api-version, moved there), its swagger model, and the v2 printer's text.
 */
async function explainV2(source: SchemaSource, target: ExplainTarget, lists: readonly ApiResourceList[], opts: ExplainOptions): Promise<string> {
  const { gvr, fieldPath } = target;
  const entries = lists.flatMap((l) => l.resources.filter((r) => r.name === gvr.resource).map((r) => ({ ...parseGroupVersion(l.groupVersion), kind: r.kind })));
  const match = entries.find((e) => e.group === gvr.group && e.version === gvr.version) ?? entries.find((e) => e.group === gvr.group);
  if (!match) throw new UsageError(`couldn't find resource for "${gvrString(gvr)}"`);
  const models = new SwaggerModels((await source.openApiV2(gvr)).definitions);
  try {
    return printModelDescriptionV2(models, { group: gvr.group, version: gvr.version, kind: match.kind }, fieldPath, opts.recursive);
  } catch (err) {
    if (err instanceof ExplainV2Error) throw new UsageError(err.message);
    throw err;
  }
}

/**
 * Resolves the name against the core group first and asks for every group only when core
 * has no such resource (the discovery used is returned: the v2 printer needs the kind). kubectl reads all groups, but a core match wins its priority order
 * anyway ("resource.group" prefixes of other groups cannot beat a core plural, and a core
 * singular or short name shares no prefix with them); only kubectl's warning about a short
 * name that other groups also use (ev) needs the other groups.
 */
async function resolve(source: SchemaSource, input: string, opts: ExplainOptions): Promise<{ target: ExplainTarget; lists: ApiResourceList[] }> {
  const core = await source.resourceLists(false);
  try {
    return { target: resolveTarget(input, core, opts.apiVersion, opts.warn), lists: core };
  } catch (err) {
    if (!(err instanceof NoResourceMatch)) throw err;
  }
  const all = await source.resourceLists(true);
  return { target: resolveTarget(input, all, opts.apiVersion, opts.warn), lists: all };
}
