import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareYamlKeys, resolvesToNonString, toKubectlYAML } from '../../src/output/yaml.js';

describe("go-yaml's map key order", () => {
  it('puts non-letters before letters and compares digit runs by value', () => {
    const keys = ['b', 'a10b', '_under', 'A-upper', 'a2b', '10', '1', 'a1b', '2', 'a-json'];
    assert.deepEqual([...keys].sort(compareYamlKeys), ['_under', '1', '2', '10', 'A-upper', 'a-json', 'a1b', 'a2b', 'a10b', 'b']);
  });
});

describe('strings go-yaml would read back as another type', () => {
  it('recognises YAML 1.1 booleans, nulls, numbers, timestamps and base-60 numbers', () => {
    for (const s of ['y', 'No', 'ON', 'true', '', '~', 'null', '8080', '0x1F', '0o17', '017', '1_000', '1.5', '.5', '1e3', '-.inf', '2020-09-05', '2020-09-05T22:42:16Z', '190:20:30']) {
      assert.equal(resolvesToNonString(s), true, s);
    }
  });
  it('leaves ordinary strings alone', () => {
    for (const s of ['web', '<<', '1e', 'v1.16.2', '10.254.5.61', '10.254.5.61:8080', 'app=web', '2020-13-45']) assert.equal(resolvesToNonString(s), false, s);
  });
});

describe('toKubectlYAML', () => {
  it('does not indent sequences under their key, and writes empty collections in flow style', () => {
    assert.equal(toKubectlYAML({ items: [{ a: 1, b: [] }, [1, 2]], m: {} }), 'items:\n- a: 1\n  b: []\n- - 1\n  - 2\nm: {}\n');
  });
  it('double-quotes a string that would read back as a number, single-quotes one that cannot be plain', () => {
    assert.equal(toKubectlYAML({ port: '8080', sel: '- x', ok: 'a:b' }), 'ok: a:b\nport: "8080"\nsel: \'- x\'\n');
  });
});
