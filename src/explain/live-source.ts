// Schemas from the cluster, the way kubectl explain gets them: discovery (/api/v1, then
// /apis and each group-version when the name is not a core one), the /openapi/v3 index and
// the one group-version document it points at, so the text follows the cluster's version
// and its CRDs; /openapi/v2 where a cluster has no v3. Requests go through the live source's fetchJSON (kubeconfig credentials),
// imported only when a live explain runs.
import { isObject } from '../cluster/shapes.js';
import type { SourceRequest } from '../cluster/source.js';
import { ClusterError, NotFoundError } from '../errors.js';
import { NoOpenApiV3, type OpenApiIndex, type SchemaSource } from './explain.js';
import type { SwaggerDoc } from './swagger-from-v3.js';
import type { OpenApiDoc } from './render.js';
import type { ApiResourceList } from './resources.js';

interface ApiGroupList {
  groups?: { name: string; versions?: { groupVersion: string }[]; preferredVersion?: { groupVersion: string } }[];
}

const NO_OPENAPI = 'the cluster serves neither /openapi/v3 nor /openapi/v2: use --demo for the schema built into svctrace';

function asResourceList(v: unknown, groupVersion: string): ApiResourceList {
  const resources = isObject(v) && Array.isArray(v.resources) ? (v.resources as ApiResourceList['resources']) : [];
  return { groupVersion, resources };
}

/** A group's versions, preferred first (then in the server's order, which is its priority). */
function groupVersions(group: NonNullable<ApiGroupList['groups']>[number]): string[] {
  const all = (group.versions ?? []).map((v) => v.groupVersion);
  const preferred = group.preferredVersion?.groupVersion;
  return preferred ? [preferred, ...all.filter((gv) => gv !== preferred)] : all;
}

export function liveSource(req: SourceRequest): SchemaSource {
  const get = async (path: string): Promise<unknown> => (await import('../cluster/live.js')).fetchJSON(req, path);
  let core: Promise<ApiResourceList> | undefined;
  const coreList = () => (core ??= get('/api/v1').then((v) => asResourceList(v, 'v1')));
  return {
    async resourceLists(all: boolean) {
      if (!all) return [await coreList()];
      const groups = ((await get('/apis')) as ApiGroupList).groups ?? [];
      const gvs = groups.flatMap(groupVersions);
      // Like kubectl, a group whose discovery fails (an aggregated API that is down) is skipped.
      const lists = await Promise.all(gvs.map((gv) => get(`/apis/${gv}`).then((v) => asResourceList(v, gv), () => undefined)));
      return [await coreList(), ...lists.filter((l): l is ApiResourceList => l !== undefined)];
    },
    async openApiIndex() {
      const index = await get('/openapi/v3').catch((err: unknown) => {
        // explain.ts falls back to /openapi/v2, as kubectl does.
        if (err instanceof NotFoundError) throw new NoOpenApiV3();
        throw err;
      });
      return (isObject(index) && isObject(index.paths) ? index : { paths: {} }) as unknown as OpenApiIndex;
    },
    async openApiDocument(serverRelativeURL: string) {
      const doc = await get(serverRelativeURL);
      return (isObject(doc) ? doc : {}) as OpenApiDoc;
    },
    async openApiV2() {
      // JSON: kubectl asks for protobuf, which API servers serve beside JSON.
      const doc = await get('/openapi/v2').catch((err: unknown) => {
        if (err instanceof NotFoundError) throw new ClusterError(NO_OPENAPI);
        throw err;
      });
      const definitions = isObject(doc) && isObject(doc.definitions) ? doc.definitions : {};
      return { swagger: '2.0', definitions } as SwaggerDoc;
    },
  };
}
