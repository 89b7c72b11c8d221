// The schema svctrace ships: files scripts/gen-explain-schema.mjs writes into dist/explain/
// at build time, in the shapes a cluster serves (the /openapi/v3 index, one document per
// group-version, discovery). Only the index, discovery and the one document asked for are
// read, so explain starts fast.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT, SvctraceError } from '../errors.js';
import type { OpenApiIndex, SchemaSource } from './explain.js';
import type { Gvr, OpenApiDoc } from './render.js';
import { swaggerFromV3 } from './swagger-from-v3.js';
import type { ApiResourceList } from './resources.js';

/** Points explain at another generated schema folder (tests, packagers). */
export const SCHEMA_DIR_ENV = 'SVCTRACE_EXPLAIN_SCHEMA';

const INDEX_FILE = 'openapi-v3.json';
const DISCOVERY_FILE = 'discovery.json';

/** The generated index is a live one plus, per group-version, the file holding its document. */
interface OfflineIndex extends OpenApiIndex {
  paths: Record<string, { serverRelativeURL: string; file?: string }>;
}

/**
 * The folder holding the generated schema: $SVCTRACE_EXPLAIN_SCHEMA, else beside this module
 * (dist/explain/ once built), else <repo>/dist/explain/ (running from src/ through tsx).
 */
export function schemaDir(env: Record<string, string | undefined>, candidates = defaultDirs()): string {
  const fromEnv = env[SCHEMA_DIR_ENV];
  if (fromEnv) {
    if (existsSync(join(fromEnv, INDEX_FILE))) return fromEnv;
    throw missing(join(fromEnv, INDEX_FILE), `${SCHEMA_DIR_ENV} points at a folder without it`);
  }
  const found = candidates.find((dir) => existsSync(join(dir, INDEX_FILE)));
  if (!found) throw missing(join(candidates[candidates.length - 1]!, INDEX_FILE), 'run `npm run build` to generate it');
  return found;
}

function defaultDirs(): string[] {
  return [new URL('./', import.meta.url), new URL('../../dist/explain/', import.meta.url)].map((u) => fileURLToPath(u));
}

function missing(file: string, hint: string): SvctraceError {
  return new SvctraceError(`the offline explain schema is missing (${file}): ${hint}`, EXIT.INTERNAL);
}

function readJson<T>(file: string): T {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new SvctraceError(`cannot read the offline explain schema ${file}: ${why}`, EXIT.INTERNAL);
  }
}

export function offlineSource(env: Record<string, string | undefined>): SchemaSource {
  const dir = schemaDir(env);
  let index: OfflineIndex | undefined;
  const readIndex = () => (index ??= readJson<OfflineIndex>(join(dir, INDEX_FILE)));
  return {
    async resourceLists() {
      return readJson<{ resourceLists: ApiResourceList[] }>(join(dir, DISCOVERY_FILE)).resourceLists;
    },
    async openApiIndex() {
      return readIndex();
    },
    async openApiDocument(serverRelativeURL: string) {
      return document(serverRelativeURL);
    },
    async openApiV2(gvr: Gvr) {
      // The group-version's own document holds every schema it refers to.
      const entry = readIndex().paths[gvr.group ? `apis/${gvr.group}/${gvr.version}` : `api/${gvr.version}`];
      return swaggerFromV3(entry ? await document(entry.serverRelativeURL) : {});
    },
  };
  async function document(serverRelativeURL: string): Promise<OpenApiDoc> {
    const entry = Object.values(readIndex().paths).find((e) => e.serverRelativeURL === serverRelativeURL);
    if (!entry?.file) throw new SvctraceError(`the offline explain schema has no document for ${serverRelativeURL}`, EXIT.INTERNAL);
    return readJson<OpenApiDoc>(join(dir, entry.file));
  }
}
