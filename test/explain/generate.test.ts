// scripts/gen-explain-schema.mjs: the offline schema must have the shapes a cluster serves
// (kube-apiserver's /openapi/v3 index and group-version documents, discovery lists), so one
// renderer serves both. Shapes here are kube-apiserver's: components.schemas named
// io.k8s.api.<group>.<version>.<Kind>, x-kubernetes-group-version-kind on kinds and on their
// operations, references wrapped in allOf beside a description, IntOrString and Quantity as
// untyped oneOf unions (kube-openapi OpenAPIV3OneOfTypes), Time a date-time string.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Json, Schema } from '../../src/explain/render.js';
import type { ApiResourceList } from '../../src/explain/resources.js';
import { generatedDoc, schemaDir } from './schema.js';

const schemas = (gv: string) => (generatedDoc(gv) as { components: { schemas: Record<string, Schema> } }).components.schemas;
const core = () => schemas('api/v1');
const prop = (type: string, field: string) => (core()[type]!.properties as Record<string, Schema>)[field]!;
const ref = (name: string) => ({ allOf: [{ $ref: `#/components/schemas/${name}` }] });

describe('the /openapi/v3 index', () => {
  const index = () => JSON.parse(readFileSync(join(schemaDir(), 'openapi-v3.json'), 'utf8')) as { paths: Record<string, { serverRelativeURL: string; file: string }> };

  it('lists core and discovery.k8s.io with hashed serverRelativeURLs, as kube-apiserver does', () => {
    const { paths } = index();
    assert.match(paths['api/v1']!.serverRelativeURL, /^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]{128}$/);
    assert.match(paths['apis/discovery.k8s.io/v1']!.serverRelativeURL, /^\/openapi\/v3\/apis\/discovery\.k8s\.io\/v1\?hash=[0-9A-F]{128}$/);
  });

  it('points every entry at a document that exists', () => {
    for (const [key, entry] of Object.entries(index().paths)) assert.ok(existsSync(join(schemaDir(), entry.file)), key);
  });

  it('serves only group-versions a current cluster serves (no removed betas)', () => {
    const keys = Object.keys(index().paths);
    for (const gone of ['apis/extensions/v1beta1', 'apis/apps/v1beta1', 'apis/discovery.k8s.io/v1beta1', 'apis/policy/v1beta1']) assert.ok(!keys.includes(gone), gone);
    for (const there of ['apis/apps/v1', 'apis/networking.k8s.io/v1', 'apis/autoscaling/v2', 'apis/apiextensions.k8s.io/v1']) assert.ok(keys.includes(there), there);
  });
});

describe('a group-version document', () => {
  it('marks kinds with x-kubernetes-group-version-kind', () => {
    assert.deepEqual(core()['io.k8s.api.core.v1.Service']!['x-kubernetes-group-version-kind'], [{ group: '', kind: 'Service', version: 'v1' }]);
    assert.deepEqual(schemas('apis/discovery.k8s.io/v1')['io.k8s.api.discovery.v1.EndpointSlice']!['x-kubernetes-group-version-kind'], [
      { group: 'discovery.k8s.io', kind: 'EndpointSlice', version: 'v1' },
    ]);
  });

  it('has the resource paths with their GVK, namespaced and cluster-wide', () => {
    const paths = generatedDoc('api/v1').paths as Record<string, Record<string, Schema>>;
    const gvk = { group: '', kind: 'Service', version: 'v1' };
    assert.deepEqual(paths['/api/v1/namespaces/{namespace}/services']!.get!['x-kubernetes-group-version-kind'], gvk);
    assert.deepEqual(paths['/api/v1/namespaces/{namespace}/services/{name}']!.get!['x-kubernetes-group-version-kind'], gvk);
    assert.equal(paths['/api/v1/namespaces/{namespace}/nodes'], undefined);
    assert.deepEqual(paths['/api/v1/nodes/{name}']!.get!['x-kubernetes-group-version-kind'], { group: '', kind: 'Node', version: 'v1' });
  });

  it('keeps enums and the "Possible enum values" text', () => {
    const type = prop('io.k8s.api.core.v1.ServiceSpec', 'type');
    assert.deepEqual(type.enum, ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort']);
    assert.equal(type.type, 'string');
    assert.match(type.description as string, /service-types\n\nPossible enum values:\n - `"ClusterIP"` means a service will only be accessible inside the cluster, via the cluster IP\.\n - `"ExternalName"`/);
  });

  it('keeps required fields, but not apiVersion and kind', () => {
    assert.deepEqual(core()['io.k8s.api.core.v1.ServicePort']!.required, ['port']);
    assert.equal(core()['io.k8s.api.core.v1.Service']!.required, undefined);
    assert.ok((schemas('apis/discovery.k8s.io/v1')['io.k8s.api.discovery.v1.EndpointSlice']!.required as string[]).includes('addressType'));
  });

  it('describes apiVersion and kind with the TypeMeta texts', () => {
    assert.match(prop('io.k8s.api.core.v1.Service', 'apiVersion').description as string, /^APIVersion defines the versioned schema of this representation of an object\./);
    assert.match(prop('io.k8s.api.core.v1.Service', 'kind').description as string, /^Kind is a string value representing the REST resource/);
    assert.equal(prop('io.k8s.api.core.v1.Service', 'kind').enum, undefined);
  });

  it('wraps references in allOf beside their description', () => {
    const spec = prop('io.k8s.api.core.v1.Service', 'spec');
    assert.deepEqual(spec.allOf, ref('io.k8s.api.core.v1.ServiceSpec').allOf);
    assert.match(spec.description as string, /^Spec defines the behavior of a service\./);
    assert.deepEqual(prop('io.k8s.api.core.v1.ServiceSpec', 'ports').items, ref('io.k8s.api.core.v1.ServicePort'));
  });

  it('tells integers from numbers and keeps formats (probed from the validators)', () => {
    assert.deepEqual(
      { type: prop('io.k8s.api.core.v1.ServicePort', 'port').type, format: prop('io.k8s.api.core.v1.ServicePort', 'port').format },
      { type: 'integer', format: 'int32' },
    );
    assert.deepEqual(prop('io.k8s.api.core.v1.PodSecurityContext', 'supplementalGroups').items, { type: 'integer', format: 'int64' });
    assert.deepEqual(prop('io.k8s.api.core.v1.Secret', 'data').additionalProperties, { type: 'string', format: 'byte' });
    const props = schemas('apis/apiextensions.k8s.io/v1')['io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps']!.properties as Record<string, Schema>;
    assert.deepEqual({ type: props.maximum!.type, format: props.maximum!.format }, { type: 'number', format: 'double' });
  });

  it('publishes IntOrString and Quantity as untyped oneOf unions, Time as a date-time string', () => {
    const s = core();
    const ios = s['io.k8s.apimachinery.pkg.util.intstr.IntOrString']!;
    assert.equal(ios.type, undefined);
    assert.deepEqual(ios.oneOf, [{ type: 'integer' }, { type: 'string' }]);
    assert.equal(ios.format, 'int-or-string');
    assert.deepEqual(s['io.k8s.apimachinery.pkg.api.resource.Quantity']!.oneOf, [{ type: 'string' }, { type: 'number' }]);
    const time = s['io.k8s.apimachinery.pkg.apis.meta.v1.Time']!;
    assert.deepEqual({ type: time.type, format: time.format }, { type: 'string', format: 'date-time' });
    assert.match(time.description as string, /^Time is a wrapper around time\.Time/);
  });

  it('undoes the escapes kubernetes-models puts in comments (\\*, \\/, \\\\)', () => {
    const appProtocol = prop('io.k8s.api.core.v1.ServicePort', 'appProtocol').description as string;
    assert.match(appProtocol, /Valid values are either:\n\n\* Un-prefixed protocol names/);
    assert.match(appProtocol, /\n  \* 'kubernetes\.io\/h2c' - HTTP\/2/);
    const fqdn = prop('io.k8s.api.core.v1.PodSpec', 'setHostnameAsFQDN').description as string;
    assert.match(fqdn, /HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters/);
    const rule = schemas('apis/admissionregistration.k8s.io/v1')['io.k8s.api.admissionregistration.v1.RuleWithOperations']!.properties as Record<string, Json>;
    assert.match((rule.resources as Schema).description as string, /'\*\/scale' means all scale subresources/);
  });

  it('includes every schema a document refers to, and nothing dangling', () => {
    const doc = generatedDoc('api/v1');
    const names = new Set(Object.keys(core()));
    JSON.stringify(doc, (k, v) => {
      if (k === '$ref') assert.ok(names.has(String(v).replace('#/components/schemas/', '')), String(v));
      return v;
    });
    assert.ok(names.has('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'));
  });
});

describe('discovery', () => {
  const lists = () => (JSON.parse(readFileSync(join(schemaDir(), 'discovery.json'), 'utf8')) as { resourceLists: ApiResourceList[] }).resourceLists;
  const find = (gv: string, name: string) => lists().find((l) => l.groupVersion === gv)!.resources.find((r) => r.name === name)!;

  it('lists the core group first', () => {
    assert.equal(lists()[0]!.groupVersion, 'v1');
  });

  it('has plural, singular, kind, scope and kube-apiserver\'s short names', () => {
    assert.deepEqual(
      { ...find('v1', 'services'), verbs: undefined },
      { name: 'services', singularName: 'service', namespaced: true, kind: 'Service', verbs: undefined, shortNames: ['svc'] },
    );
    assert.equal(find('v1', 'nodes').namespaced, false);
    assert.deepEqual(find('v1', 'endpoints').shortNames, ['ep']);
    assert.equal(find('v1', 'endpoints').singularName, 'endpoints');
    assert.equal(find('discovery.k8s.io/v1', 'endpointslices').kind, 'EndpointSlice');
  });

  it('orders a group\'s versions preferred first (GA, newest)', () => {
    const autoscaling = lists().filter((l) => l.groupVersion.startsWith('autoscaling/')).map((l) => l.groupVersion);
    assert.deepEqual(autoscaling, ['autoscaling/v2', 'autoscaling/v1']);
  });
});
