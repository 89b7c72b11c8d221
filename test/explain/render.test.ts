// The plaintext template port. The first suites are kubectl's own golden tests
// (staging/src/k8s.io/kubectl/pkg/explain/v2/templates/plaintext_test.go, TestPlaintext),
// case by case with kubectl's names; the main-template cases run on the generated
// apiextensions.k8s.io/v1 and batch/v1 documents, which hold the same kinds and texts as
// kubectl's test data. The last suite compares whole outputs with kubectl v1.32.4's for a
// hand-written document (test/fixtures/explain/README.md).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  extractEnum,
  fieldDetail,
  renderExplain,
  TemplateError,
  typeGuess,
  type Gvr,
  type Json,
  type OpenApiDoc,
  type Schema,
} from '../../src/explain/render.js';
import { fixture, fixtureJson, generatedDoc } from './schema.js';

const CRD: Gvr = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' };
const JOBS: Gvr = { group: 'batch', version: 'v1', resource: 'jobs' };
const CRONJOBS: Gvr = { group: 'batch', version: 'v1', resource: 'cronjobs' };

function withoutPaths(doc: OpenApiDoc, ...paths: string[]): OpenApiDoc {
  const copy = structuredClone(doc) as { paths: Record<string, Json> };
  for (const p of paths) {
    assert.ok(p in copy.paths, `the document has ${p}`);
    delete copy.paths[p];
  }
  return copy as unknown as OpenApiDoc;
}

function render(doc: OpenApiDoc, gvr: Gvr, fieldPath: string[] = [], recursive = false): string {
  return renderExplain(doc, gvr, fieldPath, { recursive });
}

function renderError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof TemplateError, `a TemplateError, got ${err}`);
    return err.message;
  }
  assert.fail('expected an error');
}

describe('plaintext_test.go: the main template', () => {
  const apiextensions = () => generatedDoc('apis/apiextensions.k8s.io/v1');
  const batch = () => generatedDoc('apis/batch/v1');

  it('ResourceNotFound: an empty GVR is not in the schema', () => {
    assert.equal(renderError(() => render(apiextensions(), { group: '', version: '', resource: '' })), 'error: GVR (/, Resource=) not found in OpenAPI schema');
  });

  it('SchemaFound: finds a GVR and prints its description', () => {
    assert.match(render(apiextensions(), CRD), /CustomResourceDefinition represents a resource that should be exposed/);
  });

  it('SchemaFoundNamespaced: finds a namespaced GVR', () => {
    assert.match(render(batch(), JOBS), /Job represents the configuration of a single job/);
  });

  it('SchemaFoundWithoutListVerb: finds the GVK on the item path', () => {
    const doc = withoutPaths(apiextensions(), '/apis/apiextensions.k8s.io/v1/customresourcedefinitions');
    assert.match(render(doc, CRD), /CustomResourceDefinition represents a resource that should be exposed/);
  });

  it('SchemaFoundNamespacedWithoutListVerb', () => {
    const doc = withoutPaths(batch(), '/apis/batch/v1/jobs', '/apis/batch/v1/namespaces/{namespace}/jobs');
    assert.match(render(doc, JOBS), /Job represents the configuration of a single job/);
  });

  it('SchemaFoundNamespacedWithoutTopLevelListVerb', () => {
    const doc = withoutPaths(batch(), '/apis/batch/v1/cronjobs', '/apis/batch/v1/namespaces/{namespace}/cronjobs/{name}');
    assert.match(render(doc, CRONJOBS), /CronJob represents the configuration of a single cron job/);
  });

  it('SchemaFieldPathNotFound: names the last field', () => {
    assert.equal(renderError(() => render(apiextensions(), CRD, ['does', 'not', 'exist'])), 'error: field "exist" does not exist');
  });

  it('SchemaFieldPathShallow', () => {
    assert.match(render(apiextensions(), CRD, ['kind']), /FIELD: kind <string>/);
  });

  it('SchemaFieldPathDeep', () => {
    assert.match(render(apiextensions(), CRD, ['spec', 'names', 'singular']), /FIELD: singular <string>/);
  });

  it('SchemaFieldPathViaList: walks through array items', () => {
    assert.match(render(apiextensions(), CRD, ['spec', 'versions', 'name']), /FIELD: name <string>/);
  });

  it('SchemaFieldPathViaMap: walks through map values', () => {
    const out = render(apiextensions(), CRD, ['spec', 'versions', 'schema', 'openAPIV3Schema', 'properties', 'default']);
    assert.match(out, /default is a default value for undefined object fields/);
  });

  it('SchemaFieldPathRecursive: walks a recursively defined schema', () => {
    const path = ['spec', 'versions', 'schema', 'openAPIV3Schema', 'properties', 'properties', 'properties', 'properties', 'properties', 'default'];
    assert.match(render(apiextensions(), CRD, path), /default is a default value for undefined object fields/);
  });

  const validation = () =>
    (apiextensions() as { components: { schemas: Record<string, Schema> } }).components.schemas[
      'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceValidation'
    ]!.properties as Record<string, Schema>;

  it('SchemaAllFields: every field and its description', () => {
    const out = render(apiextensions(), CRD, ['spec', 'versions', 'schema']);
    const props = Object.entries(validation());
    assert.ok(props.length > 0);
    for (const [name, prop] of props) {
      assert.ok(out.includes(name), name);
      assert.ok(out.includes(prop.description as string), `description of ${name}`);
    }
  });

  it('SchemaAllFieldsRecursive: every field', () => {
    const out = render(apiextensions(), CRD, ['spec', 'versions', 'schema'], true);
    for (const name of Object.keys(validation())) assert.ok(out.includes(name), name);
  });
});

describe('plaintext_test.go: typeGuess', () => {
  const CRV = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceValidation';
  // Columns: kubectl's case name, schema, document, expected type.
  const cases: [string, Json, OpenApiDoc | undefined, string][] = [
    ['Scalar', { type: 'string' }, undefined, 'string'],
    [
      'PrimitiveRef',
      { description: 'a cool field', $ref: '#/components/schemas/v1.Time' },
      { components: { schemas: { 'v1.Time': { type: 'string', format: 'date-time' } } } },
      'string',
    ],
    ['ArrayUnknown', { description: 'a cool field', type: 'array' }, undefined, 'array'],
    ['ObjectTitle', { description: 'a cool field', type: 'object' }, undefined, 'Object'],
    ['ArrayOfScalar', { description: 'a cool field', type: 'array', items: { type: 'number' } }, undefined, '[]number'],
    ['ArrayOfAllOfRef', { description: 'a cool field', type: 'array', items: { type: 'object', allOf: [{ $ref: CRV }] } }, undefined, '[]CustomResourceValidation'],
    ['ArrayOfRef', { description: 'a cool field', type: 'array', items: { type: 'object', $ref: CRV } }, undefined, '[]CustomResourceValidation'],
    ['ArrayOfMap', { description: 'a cool field', type: 'array', items: { type: 'object', additionalProperties: { type: 'string' } } }, undefined, '[]map[string]string'],
    ['MapOfArrayOfScalar', { description: 'a cool field', type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } }, undefined, 'map[string][]string'],
    ['MapOfRef', { description: 'a cool field', type: 'object', additionalProperties: { type: 'string', allOf: [{ $ref: CRV }] } }, undefined, 'map[string]CustomResourceValidation'],
    ['Unknown', { description: 'a cool field' }, undefined, 'Object'],
  ];
  for (const [name, schema, doc, want] of cases) {
    it(`${name} is ${want}`, () => assert.equal(typeGuess(schema, doc), want));
  }

  it('names a $ref to an untyped schema (IntOrString, Quantity) after the schema', () => {
    const doc = { components: { schemas: { 'io.k8s.apimachinery.pkg.util.intstr.IntOrString': { oneOf: [{ type: 'integer' }, { type: 'string' }] } } } };
    assert.equal(typeGuess({ allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString' }] }, doc), 'IntOrString');
  });

  it('does not follow allOf when the schema has properties of its own', () => {
    assert.equal(typeGuess({ type: 'object', properties: { a: { type: 'string' } }, allOf: [{ $ref: CRV }] }), 'Object');
  });

  it('ignores additionalProperties: true', () => {
    assert.equal(typeGuess({ type: 'object', additionalProperties: true }), 'Object');
  });
});

describe('plaintext_test.go: fieldDetail', () => {
  const holder: Json = {
    type: 'object',
    description: 'a description that should not be printed',
    properties: { thefield: { type: 'string', description: 'a description that should be printed' } },
    required: ['thefield'],
  };

  it('Required: marks required fields (short form)', () => {
    assert.equal(fieldDetail({ schema: holder, name: 'thefield', short: true }), 'thefield\t<string> -required-\n');
  });

  it('Description: the field description, indented 2, then a blank line', () => {
    assert.equal(fieldDetail({ schema: holder, name: 'thefield', short: false }), 'thefield\t<string> -required-\n  a description that should be printed\n\n');
  });

  it('Indent: two spaces per level', () => {
    assert.equal(fieldDetail({ schema: holder, name: 'thefield', short: true, level: 5 }), '          thefield\t<string> -required-\n');
  });

  it('prints <no description> when a field has none', () => {
    const schema = { properties: { f: { type: 'integer' } } };
    assert.equal(fieldDetail({ schema, name: 'f', short: false, level: 1 }), '  f\t<integer>\n    <no description>\n\n');
  });

  it('wraps a field description at 78 minus the indent', () => {
    const words = Array.from({ length: 30 }, (_, i) => `w${String(i).padStart(3, '0')}`).join(' ');
    const out = fieldDetail({ schema: { properties: { f: { type: 'string', description: words } } }, name: 'f', short: false, level: 1 });
    const lines = out.split('\n').slice(1, -2);
    assert.ok(lines.every((l) => l.length <= 4 + 76), out);
    // 76 columns hold 19 four-letter words: 19*4 + 18 = 94 > 76, so 15 per line (15*4+14 = 74).
    assert.equal(lines[0], '    ' + words.split(' ').slice(0, 15).join(' '));
  });

  it('prints an EXTERNAL DOCS block under the description (template, newer than kubectl 1.32)', () => {
    const schema = { properties: { f: { type: 'string', description: 'd', externalDocs: { description: 'more', url: 'https://example.com/x' } } } };
    assert.equal(
      fieldDetail({ schema, name: 'f', short: false, level: 1 }),
      '  f\t<string>\n    d\n\n    EXTERNAL DOCS:\n      more\n      URL: https://example.com/x\n\n',
    );
  });
});

describe('plaintext_test.go: extractEnum', () => {
  const schema = (values: Json[]): Json => ({ type: 'string', description: 'a description that should not be printed', enum: values });

  it('extractEmptyEnum: nothing for an empty enum', () => {
    assert.equal(extractEnum(schema([]), { long: true, limit: -1, indentAmount: 0 }), '');
  });

  it('extractEnumSimpleForm: ENUM: with one value per line', () => {
    assert.equal(extractEnum(schema([0, 1, 2, 3]), { long: true, limit: -1, indentAmount: 0 }), 'ENUM:\n    0\n    1\n    2\n    3');
  });

  it('extractEnumLongFormWithIndent: the short "enum:" line', () => {
    assert.equal(extractEnum(schema([0, 1, 2, 3]), { long: false, limit: -1, indentAmount: 2 }), '\n  enum: 0, 1, 2, 3');
  });

  it('extractEnumLongFormWithLimitAndIndent: ", ...." after the limit', () => {
    assert.equal(extractEnum(schema([0, 1, 2, 3]), { long: false, limit: 2, indentAmount: 2 }), '\n  enum: 0, 1, ....');
  });

  it('extractEnumSimpleFormWithLimitAndIndent', () => {
    assert.equal(extractEnum(schema([0, 1, 2, 3]), { long: true, limit: 2, indentAmount: 2 }), 'ENUM:\n    0\n    1, ....');
  });

  it('extractEnumSimpleFormEmptyString: "" for the empty string', () => {
    assert.equal(extractEnum(schema(['Block', 'File', '']), { long: true, limit: -1, indentAmount: 0 }), 'ENUM:\n    Block\n    File\n    ""');
  });

  it('prints numbers as Go prints a float64', () => {
    assert.equal(extractEnum(schema([1.5, 1000000, 0.00001]), { long: false, limit: -1, indentAmount: 0 }), '\nenum: 1.5, 1e+06, 1e-05');
  });
});

describe('the whole layout, byte for byte against kubectl v1.32.4', () => {
  const doc = () => fixtureJson('layout-openapi.json');
  const SERVICES: Gvr = { group: '', version: 'v1', resource: 'services' };
  const WIDGETS: Gvr = { group: '', version: 'v1', resource: 'widgets' };
  // Columns: fixture (test/fixtures/explain/layout/<name>.txt), resource, field path, recursive.
  const cases: [string, Gvr, string[], boolean][] = [
    ['service', SERVICES, [], false],
    ['service-spec', SERVICES, ['spec'], false],
    ['service-spec-type', SERVICES, ['spec', 'type'], false],
    ['service-spec-long', SERVICES, ['spec', 'long'], false],
    ['service-spec-ports', SERVICES, ['spec', 'ports'], false],
    ['service-spec-selector', SERVICES, ['spec', 'selector'], false],
    ['service-spec-t', SERVICES, ['spec', 't'], false],
    ['service-spec-ports-targetport', SERVICES, ['spec', 'ports', 'targetPort'], false],
    ['service-recursive', SERVICES, [], true],
    ['service-spec-recursive', SERVICES, ['spec'], true],
    ['widget', WIDGETS, [], false],
    ['widget-recursive', WIDGETS, [], true],
    ['widget-en', WIDGETS, ['en'], false],
    ['widget-self-self-nodesc', WIDGETS, ['self', 'self', 'nodesc'], false],
    ['widget-mapobj-port', WIDGETS, ['mapobj', 'port'], false],
  ];
  for (const [name, gvr, path, recursive] of cases) {
    it(`${[gvr.resource, ...path].join('.')}${recursive ? ' --recursive' : ''}`, () => {
      assert.equal(render(doc(), gvr, path, recursive), fixture(`layout/${name}.txt`));
    });
  }

  it('a field path into a scalar names the scalar\'s field', () => {
    assert.equal(renderError(() => render(doc(), SERVICES, ['spec', 'type', 'foo'])), 'error: field "foo" does not exist');
  });

  it('a kind on the paths but missing from components is a GVK error', () => {
    const broken = structuredClone(doc()) as { components: { schemas: Record<string, Json> } };
    delete broken.components.schemas['io.k8s.api.core.v1.Widget'];
    assert.equal(renderError(() => render(broken as unknown as OpenApiDoc, WIDGETS)), 'error: GVK map[group: kind:Widget version:v1] not found in OpenAPI schema');
  });

  it('a cycle stops a field path (the ref seen on the way)', () => {
    // widget.self.self works (the history restarts at each field), but not through items
    // pointing back at themselves.
    const cyclic = { paths: { '/api/v1/things': { get: { 'x-kubernetes-group-version-kind': { group: '', kind: 'Thing', version: 'v1' } } } }, components: { schemas: {
      Thing: { 'x-kubernetes-group-version-kind': [{ group: '', kind: 'Thing', version: 'v1' }], properties: { list: { $ref: '#/components/schemas/List' } } },
      List: { items: { $ref: '#/components/schemas/List' } },
    } } };
    assert.equal(renderError(() => render(cyclic, { group: '', version: 'v1', resource: 'things' }, ['list', 'x'])), 'error: field "x" does not exist');
  });

  it('prints GROUP first for a non-core kind', () => {
    const out = render(generatedDoc('apis/discovery.k8s.io/v1'), { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' });
    assert.ok(out.startsWith('GROUP:      discovery.k8s.io\nKIND:       EndpointSlice\nVERSION:    v1\n\nDESCRIPTION:\n'), out);
  });
});
