import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { UsageError } from '../../src/errors.js';
import { genericOutput, parseOutputFormat, printJSON, printName, printYAML, withoutManagedFields } from '../../src/output/formats.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/get/${name}`, import.meta.url), 'utf8');

describe('-o json (cli-runtime JSONPrinter)', () => {
  it("reproduces kubectl's JSON byte for byte: sorted keys, 4-space indent, \\u003c escapes, empty {} and []", () => {
    const expected = fixture('printers-tricky.kubectl.json');
    assert.equal(printJSON(JSON.parse(expected)), expected);
  });

  it('round-trips: the printed JSON parses back to the same object', () => {
    const obj = { kind: 'Service', apiVersion: 'v1', metadata: { name: 'a&b' }, spec: { ports: [{ port: 80 }], selector: {} } };
    assert.deepEqual(JSON.parse(printJSON(obj)), obj);
  });

  it('sorts keys at every level and escapes <, > and & as Go does', () => {
    assert.equal(printJSON({ b: { d: 1, c: '<none> & co' }, a: [] }), '{\n    "a": [],\n    "b": {\n        "c": "\\u003cnone\\u003e \\u0026 co",\n        "d": 1\n    }\n}\n');
  });
});

describe('-o yaml (sigs.k8s.io/yaml over go-yaml v2)', () => {
  it("reproduces kubectl's YAML for awkward values: quoting, folding at column 80, block scalars, key order", () => {
    const input = JSON.parse(fixture('printers-tricky.kubectl.json'));
    assert.equal(printYAML(input), fixture('printers-tricky.kubectl.yaml'));
  });

  it("reproduces kubectl's quoting of one value per rule", () => {
    assert.equal(printYAML(JSON.parse(fixture('printers-quoting.input.json'))), fixture('printers-quoting.kubectl.yaml'));
  });

  it('round-trips through the yaml library read as YAML 1.1', async () => {
    const YAML = await import('yaml');
    const input = JSON.parse(fixture('printers-tricky.kubectl.json'));
    assert.deepEqual(YAML.parse(printYAML(input), { version: '1.1' }), input);
  });
});

describe('the List kubectl prints for several objects', () => {
  it('is a v1 List with an empty resourceVersion, unless exactly one object was asked for by name', () => {
    const a = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'a' } };
    assert.deepEqual(genericOutput([a], true), a);
    assert.deepEqual(genericOutput([a], false), { apiVersion: 'v1', items: [a], kind: 'List', metadata: { resourceVersion: '' } });
    assert.equal(printYAML(genericOutput([], false)), 'apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: ""\n');
  });
});

describe('managed fields', () => {
  it('are left out of -o json and yaml, as kubectl does without --show-managed-fields', () => {
    const obj = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'a', managedFields: [{ manager: 'kubectl' }] } };
    assert.deepEqual(withoutManagedFields(obj), { apiVersion: 'v1', kind: 'Service', metadata: { name: 'a' } });
    assert.deepEqual(obj.metadata.managedFields, [{ manager: 'kubectl' }], 'the stored object is untouched');
  });
});

describe('-o name', () => {
  it('writes kind/name for core kinds and kind.group/name otherwise', () => {
    assert.equal(printName('Service', '', 'web'), 'service/web\n');
    assert.equal(printName('Endpoints', '', 'web'), 'endpoints/web\n');
    assert.equal(printName('EndpointSlice', 'discovery.k8s.io', 'web-abcde'), 'endpointslice.discovery.k8s.io/web-abcde\n');
  });
});

describe('parseOutputFormat', () => {
  it('accepts json, yaml, name and wide; nothing means a table', () => {
    assert.equal(parseOutputFormat(undefined), 'table');
    for (const f of ['json', 'yaml', 'name', 'wide'] as const) assert.equal(parseOutputFormat(f), f);
  });

  it("rejects any other format with kubectl's message listing the allowed ones, sorted", () => {
    assert.throws(
      () => parseOutputFormat('jsonpath={.x}'),
      (e: unknown) =>
        e instanceof UsageError &&
        e.message === 'unable to match a printer suitable for the output format "jsonpath={.x}", allowed formats are: json,name,wide,yaml',
    );
  });
});
