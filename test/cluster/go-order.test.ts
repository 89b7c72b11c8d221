// Go's string order (src/cluster/go-order.ts): UTF-8 byte order, the one comparator every stage
// sorts names, labels, addresses and files with. JavaScript's < is the same for ASCII (and
// anything below U+D800); above, Go's bytes are the reference.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { goCompare } from '../../src/cluster/go-order.js';

const bytes = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
const native = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describe('goCompare', () => {
  it('is JavaScript\'s < for ASCII', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary-ascii' }), fc.string({ unit: 'binary-ascii' }), (a, b) => goCompare(a, b) === native(a, b)));
  });

  it('is UTF-8 byte order for any text, including above U+FFFF and lone surrogates', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => goCompare(a, b) === bytes(a, b)), { numRuns: 2000 });
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => goCompare(a, b) === bytes(a, b)));
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('a', '\uE000', '\uFFFD', '\u{1F600}', '\uD800', '\uDC00') }), fc.string({ unit: fc.constantFrom('a', '\uE000', '\uFFFD', '\u{1F600}', '\uD800', '\uDC00') }), (a, b) => goCompare(a, b) === bytes(a, b)), { numRuns: 2000 });
  });

  it('puts a character above U+FFFF after U+E000-U+FFFF, as Go does (UTF-16 order would not)', () => {
    const sorted = ['\u{1F600}', '\uFF21', 'z', '\uE000'].sort(goCompare);
    assert.deepEqual(sorted, ['z', '\uE000', '\uFF21', '\u{1F600}']);
    assert.equal(native('\u{1F600}', '\uFF21'), -1);
  });
});
