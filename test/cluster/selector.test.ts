// Label selectors: kubectl's -l syntax, its errors and its matching rules.
// Expectations: test/fixtures/cluster/selector-errors.json (what kubectl 1.32 says for each
// selector) and k8s.io/apimachinery/pkg/labels/selector.go (Requirement.Matches).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  EVERYTHING,
  hasSelector,
  labelKeyErrors,
  labelValueErrors,
  matchesSelector,
  parseSelector,
  selectorString,
  serviceSelectorMatches,
} from '../../src/cluster/selector.js';
import { UsageError } from '../../src/errors.js';

interface KubectlCase {
  selector: string;
  kubectl: string | null;
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/cluster/selector-errors.json', import.meta.url), 'utf8')) as {
  cases: KubectlCase[];
};

const matches = (selector: string, labels: Record<string, string> | undefined) => matchesSelector(parseSelector(selector), labels);

describe('parseSelector', () => {
  describe('agrees with kubectl 1.32 on every recorded selector', () => {
    for (const c of fixture.cases) {
      const title = c.kubectl === null ? `accepts ${JSON.stringify(c.selector)}` : `rejects ${JSON.stringify(c.selector)} with kubectl's message`;
      it(title, () => {
        if (c.kubectl === null) {
          assert.doesNotThrow(() => parseSelector(c.selector));
          return;
        }
        assert.throws(
          () => parseSelector(c.selector),
          (e: unknown) => e instanceof UsageError && e.message === c.kubectl,
        );
      });
    }
  });

  it('reads every operator', () => {
    const sel = parseSelector('a=1,b==2,c!=3,d in (x,y),e notin (z),f,!g,h>4,i<5');
    assert.deepEqual(
      sel.requirements.map((r) => [r.key, r.operator, r.values]),
      [
        ['a', '=', ['1']],
        ['b', '==', ['2']],
        ['c', '!=', ['3']],
        ['d', 'in', ['x', 'y']],
        ['e', 'notin', ['z']],
        ['f', 'exists', []],
        ['g', '!', []],
        ['h', 'gt', ['4']],
        ['i', 'lt', ['5']],
      ],
    );
  });

  it('ignores blanks around tokens, but a blank never joins two words', () => {
    assert.deepEqual(parseSelector(' a = b ,\tc != d\n').requirements, [
      { key: 'a', operator: '=', values: ['b'] },
      { key: 'c', operator: '!=', values: ['d'] },
    ]);
    assert.throws(() => parseSelector('a = b c'), /found 'c', expected: ',' or 'end of string'/);
  });

  it('sorts requirements by key and set values, dropping duplicates, as Go sets do', () => {
    const sel = parseSelector('z in (b,a,b),a=1');
    assert.deepEqual(sel.requirements.map((r) => r.key), ['a', 'z']);
    assert.deepEqual(sel.requirements[1]!.values, ['a', 'b']);
    assert.equal(selectorString(sel), 'a=1,z in (a,b)');
  });

  it('reads "in" and "notin" as plain words where a key or value is expected', () => {
    assert.deepEqual(parseSelector('in in (in,notin)').requirements, [{ key: 'in', operator: 'in', values: ['in', 'notin'] }]);
  });

  it('gives empty values for "a=", "a in ()" and "a in (,)"', () => {
    assert.deepEqual(parseSelector('a=').requirements[0]!.values, ['']);
    assert.deepEqual(parseSelector('a in ()').requirements[0]!.values, ['']);
    assert.deepEqual(parseSelector('a in (,)').requirements[0]!.values, ['']);
    assert.deepEqual(parseSelector('a in (b,,c)').requirements[0]!.values, ['', 'b', 'c']);
  });

  it('treats an empty selector as everything', () => {
    assert.deepEqual(parseSelector(''), EVERYTHING);
    assert.deepEqual(parseSelector('  '), EVERYTHING);
    assert.equal(matchesSelector(EVERYTHING, undefined), true);
  });
});

describe('matchesSelector (Requirement.Matches)', () => {
  const labels = { app: 'web', tier: 'front', replicas: '3', empty: '' };

  it('=, == and in need the key with one of the values', () => {
    assert.equal(matches('app=web', labels), true);
    assert.equal(matches('app==web', labels), true);
    assert.equal(matches('app=api', labels), false);
    assert.equal(matches('missing=web', labels), false);
    assert.equal(matches('tier in (back,front)', labels), true);
    assert.equal(matches('tier in (back)', labels), false);
    assert.equal(matches('empty=', labels), true);
  });

  it('!= and notin also match when the key is absent', () => {
    assert.equal(matches('app!=web', labels), false);
    assert.equal(matches('app!=api', labels), true);
    assert.equal(matches('missing!=x', labels), true);
    assert.equal(matches('tier notin (front)', labels), false);
    assert.equal(matches('missing notin (x)', labels), true);
  });

  it('a bare key needs it present; !key needs it absent', () => {
    assert.equal(matches('empty', labels), true);
    assert.equal(matches('missing', labels), false);
    assert.equal(matches('!missing', labels), true);
    assert.equal(matches('!app', labels), false);
  });

  it('gt and lt compare integers and never match a value that is not one', () => {
    assert.equal(matches('replicas>2', labels), true);
    assert.equal(matches('replicas>3', labels), false);
    assert.equal(matches('replicas<4', labels), true);
    assert.equal(matches('app>1', labels), false);
    assert.equal(matches('missing<9', labels), false);
  });

  it('ANDs the requirements', () => {
    assert.equal(matches('app=web,tier=front', labels), true);
    assert.equal(matches('app=web,tier=back', labels), false);
  });

  it('handles objects without labels', () => {
    assert.equal(matches('app=web', undefined), false);
    assert.equal(matches('app!=web', undefined), true);
  });
});

describe("serviceSelectorMatches (a Service's spec.selector)", () => {
  it('needs every selector label with the same value; extra pod labels do not matter', () => {
    const sel = { name: 'django-psql-example' };
    assert.equal(serviceSelectorMatches(sel, { name: 'django-psql-example', deployment: 'django-psql-example-1' }), true);
    assert.equal(serviceSelectorMatches({ a: '1', b: '2' }, { a: '1' }), false);
    assert.equal(serviceSelectorMatches(sel, { name: 'postgresql' }), false);
  });

  it('selects nothing when the Service has no selector, absent or empty', () => {
    assert.equal(serviceSelectorMatches(undefined, { app: 'x' }), false);
    assert.equal(serviceSelectorMatches({}, { app: 'x' }), false);
    assert.equal(hasSelector({}), false);
    assert.equal(hasSelector({ app: 'x' }), true);
  });
});

describe('label key and value validation', () => {
  it('accepts prefixed keys and 63-character names', () => {
    assert.deepEqual(labelKeyErrors('app.kubernetes.io/name'), []);
    assert.deepEqual(labelKeyErrors('a'.repeat(63)), []);
    assert.deepEqual(labelValueErrors(''), []);
  });

  it('rejects what the API server rejects', () => {
    assert.deepEqual(labelKeyErrors('a'.repeat(64)), ['name part must be no more than 63 characters']);
    assert.ok(labelKeyErrors('Example.com/x')[0]!.startsWith('prefix part a lowercase RFC 1123 subdomain'));
    assert.equal(labelValueErrors('x'.repeat(64))[0], 'must be no more than 63 characters');
    assert.equal(labelValueErrors('-x').length, 1);
  });
});
