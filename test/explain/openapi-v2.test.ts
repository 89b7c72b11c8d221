// The OpenAPI v2 printer on a small hand-made swagger document: the rules of kubectl's
// pkg/explain that the kubectl oracle (kubectl-v2.test.ts) may not reach with Kubernetes'
// own schema, checked where kubectl is absent too. Expected texts follow model_printer.go,
// fields_printer.go, recursive_fields_printer.go, field_lookup.go, typename.go and formatter.go.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExplainV2Error, printModelDescriptionV2, SwaggerModels } from '../../src/explain/openapi-v2.js';
import type { Schema } from '../../src/explain/render.js';
import { swaggerFromV3 } from '../../src/explain/swagger-from-v3.js';

const GVK = { group: 'example.com', version: 'v1', kind: 'Widget' };
const definitions: Record<string, Schema> = {
  'com.example.v1.Widget': {
    description: 'Widget is a test kind.',
    type: 'object',
    required: ['spec'],
    properties: {
      spec: { $ref: '#/definitions/com.example.v1.WidgetSpec', description: 'spec of the widget.' },
      labels: { type: 'object', additionalProperties: { type: 'string' }, description: 'labels: a map.' },
      raw: { type: 'object', description: 'Raw holds any JSON.' },
      anything: { description: 'No type at all.' },
      children: { type: 'array', items: { $ref: '#/definitions/com.example.v1.Widget' }, description: 'Nested widgets.' },
    },
    'x-kubernetes-group-version-kind': [GVK],
  },
  'com.example.v1.WidgetSpec': {
    description:
      'WidgetSpec has a long description that the formatter must wrap at eighty columns minus the indent, and more words here.\nPossible values:\n- `"A"` first\n- `"B"` second\n\n    code block kept as is\nafter ünïcödé wörds the width counts bytes, as Go len() does for strings, so fewer fit per line here',
    type: 'object',
    properties: { size: { type: 'integer', format: 'int32' }, mode: { type: 'string', description: 'mode:' } },
  },
};
const models = () => new SwaggerModels(definitions);
const explain = (path: string[], recursive = false) => printModelDescriptionV2(models(), GVK, path, recursive);

describe('OpenAPI v2 printer (kubectl pkg/explain)', () => {
  it('a kind: KIND/VERSION, DESCRIPTION, FIELDS sorted with <type>, -required- and wrapped descriptions', () => {
    assert.equal(
      explain([]),
      'KIND:     Widget\nVERSION:  example.com/v1\n\nDESCRIPTION:\n     Widget is a test kind.\n\nFIELDS:\n' +
        '   anything\t<>\n     No type at all.\n\n' +
        '   children\t<[]Object>\n     Nested widgets.\n\n' +
        '   labels\t<map[string]string>\n     labels: a map.\n\n' +
        '   raw\t<map[string]>\n     Raw holds any JSON.\n\n' +
        '   spec\t<Object> -required-\n     spec of the widget.\n\n',
    );
  });

  it("a referenced object field: RESOURCE line, the field's description then its type's, wrapped as formatter.go wraps (code blocks indented on top)", () => {
    assert.equal(
      explain(['spec']),
      'KIND:     Widget\nVERSION:  example.com/v1\n\nRESOURCE: spec <Object>\n\nDESCRIPTION:\n     spec of the widget.\n\n' +
        '     WidgetSpec has a long description that the formatter must wrap at eighty\n' +
        '     columns minus the indent, and more words here. Possible values:\n' +
        '     - `"A"` first\n     - `"B"` second\n\n         code block kept as is\n' +
        '     after ünïcödé wörds the width counts bytes, as Go len() does for\n' +
        '     strings, so fewer fit per line here\n\nFIELDS:\n' +
        '   mode\t<string>\n     mode:\n\n   size\t<integer>\n\n',
    );
  });

  it('a map of an untyped value prints its description twice (the map and its Arbitrary sub-schema)', () => {
    assert.equal(explain(['raw']), 'KIND:     Widget\nVERSION:  example.com/v1\n\nDESCRIPTION:\n     Raw holds any JSON.\n\n     Raw holds any JSON.\n');
  });

  it('a primitive field, and a path going below it (kubectl stops at the primitive)', () => {
    assert.equal(explain(['spec', 'size']), 'KIND:     Widget\nVERSION:  example.com/v1\n\nFIELD:    size <integer>\n\nDESCRIPTION:\n     <empty>\n');
    assert.match(explain(['spec', 'mode', 'deeper']), /\nFIELD: {4}deeper <string>\n/);
  });

  it('--recursive: names and types, three spaces per level, a type not re-entered inside itself', () => {
    const text = explain([], true);
    assert.match(text, /\nFIELDS:\n {3}anything\t<>\n {3}children\t<\[\]Object>\n {6}anything\t<>\n {6}children\t<\[\]Object>\n {6}labels\t<map\[string\]string>\n/);
    assert.ok(!text.includes('         children'), 'Widget is not expanded a third time');
    assert.match(text, / {3}spec\t<Object>\n {6}mode\t<string>\n {6}size\t<integer>\n$/);
  });

  it("kubectl's errors: a missing field, a kind the document does not have", () => {
    assert.throws(() => explain(['spec', 'nope']), (e: unknown) => e instanceof ExplainV2Error && e.message === 'field "nope" does not exist');
    assert.throws(
      () => printModelDescriptionV2(models(), { ...GVK, kind: 'Gadget' }, [], false),
      (e: unknown) => e instanceof ExplainV2Error && e.message === 'couldn\'t find resource for "example.com/v1, Kind=Gadget"',
    );
  });
});

describe('swaggerFromV3', () => {
  it('turns allOf-wrapped refs into refs beside the description, and oneOf unions into strings', () => {
    const doc = {
      components: {
        schemas: {
          A: { type: 'object', properties: { b: { allOf: [{ $ref: '#/components/schemas/B' }], description: 'the b', default: {} }, n: { oneOf: [{ type: 'integer' }, { type: 'string' }], format: 'int-or-string' } } },
          B: { type: 'object', properties: { x: { type: 'string', nullable: true } } },
        },
      },
    };
    assert.deepEqual(swaggerFromV3(doc).definitions, {
      A: { type: 'object', properties: { b: { $ref: '#/definitions/B', description: 'the b' }, n: { format: 'int-or-string', type: 'string' } } },
      B: { type: 'object', properties: { x: { type: 'string' } } },
    });
  });
});
