// go-wordwrap v1.0.1 semantics. The table is mitchellh/go-wordwrap's wordwrap_test.go
// (v1.0.1), plus kubectl's own `wrap` case from explain/v2/funcs_test.go and the widths
// kubectl explain uses.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { wrapString } from '../../src/explain/wordwrap.js';

// Columns: input, output, limit (go-wordwrap wordwrap_test.go TestWrapString, v1.0.1).
const GO_WORDWRAP_CASES: [string, string, number][] = [
  // A simple word passes through.
  ['foo', 'foo', 4],
  // A single word that is too long passes through. We do not break words.
  ['foobarbaz', 'foobarbaz', 4],
  // Lines are broken at whitespace.
  ['foo bar baz', 'foo\nbar\nbaz', 4],
  // Lines are broken at whitespace, even if words are too long. We do not break words.
  ['foo bars bazzes', 'foo\nbars\nbazzes', 4],
  // A word that would run beyond the width is wrapped.
  ['fo sop', 'fo\nsop', 4],
  // Do not break on non-breaking space.
  ['foo bar\u00A0baz', 'foo\nbar\u00A0baz', 10],
  // Whitespace that trails a line and fits the width passes through, as does whitespace
  // prefixing an explicit line break. A tab counts as one character.
  ['foo\nb\t r\n baz', 'foo\nb\t r\n baz', 4],
  // Trailing whitespace is removed if it doesn't fit the width. Runs of whitespace on which
  // a line is broken are removed.
  ['foo    \nb   ar   ', 'foo\nb\nar', 4],
  // An explicit line break at the end of the input is preserved.
  ['foo bar baz\n', 'foo\nbar\nbaz\n', 4],
  // Explicit break are always preserved.
  ['\nfoo bar\n\n\nbaz\n', '\nfoo\nbar\n\n\nbaz\n', 4],
  // Complete example:
  [' This is a list: \n\n\t* foo\n\t* bar\n\n\n\t* baz  \nBAM    ', ' This\nis a\nlist: \n\n\t* foo\n\t* bar\n\n\n\t* baz\nBAM', 6],
  // Multi-byte characters
  ['\u2584 '.repeat(4), '\u2584 \u2584' + '\n' + '\u2584 '.repeat(2), 4],
];

describe('wrapString (go-wordwrap v1.0.1)', () => {
  for (const [input, output, limit] of GO_WORDWRAP_CASES) {
    it(`wraps ${JSON.stringify(input)} at ${limit}`, () => {
      assert.equal(wrapString(input, limit), output);
    });
  }

  it('wraps like kubectl explain/v2 funcs_test.go ("wrap 3")', () => {
    assert.equal(wrapString('this is a really good test', 3), 'this\nis\na\nreally\ngood\ntest');
  });

  it('leaves text alone at width 0, as kubectl word-wrap writer does', () => {
    assert.equal(wrapString('a b c d e f', 0), 'a b c d e f');
    assert.equal(wrapString('a b c d e f', -2), 'a b c d e f');
  });

  it('puts a URL longer than the width on a line of its own, unbroken', () => {
    const url = 'https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources';
    assert.equal(wrapString(`may reject unrecognized values. More info: ${url}`, 76), `may reject unrecognized values. More info:\n${url}`);
  });

  it('counts code points, not UTF-16 units', () => {
    // Each 𝕏 is two UTF-16 units; four of them plus spaces fit in 9 columns.
    assert.equal(wrapString('𝕏𝕏 𝕏𝕏 𝕏𝕏 𝕏𝕏', 5), '𝕏𝕏 𝕏𝕏\n𝕏𝕏 𝕏𝕏');
  });

  it('breaks at Unicode spaces Go counts as spaces (U+0085, U+3000) but not at U+FEFF', () => {
    assert.equal(wrapString('aaa\u3000bbb', 4), 'aaa\nbbb');
    assert.equal(wrapString('aaa\u0085bbb', 4), 'aaa\nbbb');
    assert.equal(wrapString('aaa\uFEFFbbb', 4), 'aaa\uFEFFbbb');
  });

  it('fills a line to exactly the width', () => {
    assert.equal(wrapString('aaaa bbbb', 9), 'aaaa bbbb');
    assert.equal(wrapString('aaaa bbbbb', 9), 'aaaa\nbbbbb');
  });

  const text = fc.array(fc.constantFrom('a', 'bb', 'ccccc', 'ddddddddddddd', ' ', '  ', '\n', '\t', '\u00A0'), { maxLength: 60 }).map((parts) => parts.join(''));
  const words = (s: string) => s.split(/[ \t\n]+/).filter(Boolean);

  it('never changes the words or their order (property)', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 20 }), (s, limit) => {
        assert.deepEqual(words(wrapString(s, limit)), words(s));
      }),
    );
  });

  it('keeps every explicit newline (property)', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 20 }), (s, limit) => {
        const count = (x: string) => x.split('\n').length;
        assert.ok(count(wrapString(s, limit)) >= count(s));
      }),
    );
  });

  it('only lets a line run past the width when it holds a word at least that long (property)', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 20 }), (s, limit) => {
        for (const line of wrapString(s, limit).split('\n')) {
          if ([...line].length > limit) assert.ok(words(line).some((w) => [...w].length >= limit), JSON.stringify(line));
        }
      }),
    );
  });
});
