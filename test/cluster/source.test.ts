import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sourceKind } from '../../src/cluster/source.js';
import { UsageError } from '../../src/errors.js';

describe('source choice', () => {
  it('is live only when neither -f nor --demo is given', () => {
    assert.equal(sourceKind({ filenames: [], demo: false }), 'live');
    assert.equal(sourceKind({ filenames: ['a.yaml'], demo: false }), 'files');
    assert.equal(sourceKind({ filenames: [], demo: true }), 'demo');
  });

  it('refuses --demo together with -f', () => {
    assert.throws(() => sourceKind({ filenames: ['a.yaml'], demo: true }), UsageError);
  });
});
