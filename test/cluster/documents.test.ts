// Splitting a file into documents as kubectl's YAMLOrJSONDecoder does, with positions for messages.
// Scalar rules: sigs.k8s.io/yaml reads YAML 1.1 through go-yaml v2 (yes/on are booleans, 0755 is
// octal) but leaves timestamps and "8080:80" as strings.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDocuments, where } from '../../src/cluster/documents.js';
import { InputError } from '../../src/errors.js';

describe('parseDocuments: YAML streams', () => {
  it('numbers documents as "---" separates them, empty ones included', () => {
    const docs = parseDocuments('a.yaml', '---\nkind: A\n---\n---\n# only a comment\n---\nkind: B\n');
    assert.deepEqual(
      docs.map((d) => [d.index, d.value]),
      [
        [1, { kind: 'A' }],
        [2, null],
        [3, null],
        [4, { kind: 'B' }],
      ],
    );
  });

  it('finds the line of any value, or of its nearest existing parent', () => {
    const text = 'apiVersion: v1\nkind: List\nitems:\n- kind: Service\n  metadata:\n    name: web\n- kind: Pod\n';
    const [doc] = parseDocuments('list.yaml', text);
    assert.equal(doc!.lineOf([]), 1);
    assert.equal(doc!.lineOf(['items', 0, 'metadata', 'name']), 6);
    assert.equal(doc!.lineOf(['items', 1]), 7);
    assert.equal(doc!.lineOf(['items', 1, 'metadata', 'name']), 7);
    assert.equal(where(doc!, ['items', 0, 'metadata']), 'list.yaml: document 1, line 5');
  });

  it('counts lines from the top of the file in later documents', () => {
    const [, second] = parseDocuments('two.yaml', 'kind: A\n---\nkind: B\nmetadata:\n  name: b\n');
    assert.equal(second!.lineOf(['metadata', 'name']), 5);
  });

  it('reads scalars as kubectl does', () => {
    const [doc] = parseDocuments(
      's.yaml',
      'a: yes\nb: "2020-09-05T22:42:16Z"\nc: 2020-09-05T22:42:16Z\nd: 8080:80\ne: 0755\nf: on\ng: "8080"\nh: null\ni:\nj: 1_000\nk: 0x1F\nl: 089\nm: 1e3\no: No\n',
    );
    assert.deepEqual(doc!.value, {
      a: true,
      b: '2020-09-05T22:42:16Z',
      c: '2020-09-05T22:42:16Z',
      d: '8080:80',
      e: 493,
      f: true,
      g: '8080',
      h: null,
      i: null,
      j: 1000,
      k: 31,
      l: 89,
      m: 1000,
      o: false,
    });
  });

  it('ends documents at "---" and "..." lines only at column 0, and skips comment-only text and directives', () => {
    const docs = parseDocuments('m.yaml', '# header\n%YAML 1.1\n---\nkey: |\n  ---\n  text\n...\n# between\n---\nkind: B\n');
    assert.deepEqual(docs.map((d) => [d.index, d.value]), [
      [1, { key: '---\ntext\n' }],
      [2, { kind: 'B' }],
    ]);
    assert.equal(docs[1]!.lineOf(['kind']), 10);
  });

  it('merges "<<" keys and lets a repeated key win, as go-yaml does', () => {
    const [doc] = parseDocuments('m.yaml', 'base: &b {port: 80, name: http}\nport:\n  <<: *b\n  port: 8080\nx: 1\nx: 2\n');
    assert.deepEqual(doc!.value, { base: { port: 80, name: 'http' }, port: { port: 8080, name: 'http' }, x: 2 });
  });

  it('skips a byte order mark', () => {
    assert.deepEqual(parseDocuments('bom.yaml', '\uFEFFkind: A\n')[0]!.value, { kind: 'A' });
  });

  it('reports a syntax error with file, document and line', () => {
    assert.throws(
      () => parseDocuments('bad.yaml', 'kind: A\n---\nkind: B\nmetadata:\n  name: b\n   x: y\n'),
      (e: unknown) => e instanceof InputError && /^bad\.yaml: document 2, line \d+: YAML syntax error: .+/.test(e.message) && !e.message.includes('\n'),
    );
  });
});

describe('parseDocuments: JSON', () => {
  it('reads a JSON object, or a stream of them, when the text starts with "{"', () => {
    const docs = parseDocuments('s.json', '{"kind": "A"}\n\n{\n  "kind": "B",\n  "metadata": {"name": "b"}\n}\n');
    assert.deepEqual(docs.map((d) => d.value), [{ kind: 'A' }, { kind: 'B', metadata: { name: 'b' } }]);
    assert.equal(docs[1]!.index, 2);
    assert.equal(docs[1]!.lineOf(['metadata', 'name']), 5);
  });

  it('reports a JSON syntax error at its line', () => {
    assert.throws(
      () => parseDocuments('bad.json', '{\n  "kind": "A",\n  "metadata": {\n    "name": "x",\n  }\n}\n'),
      (e: unknown) => e instanceof InputError && /^bad\.json: document 1, line 5: JSON syntax error: /.test(e.message),
    );
  });
});
