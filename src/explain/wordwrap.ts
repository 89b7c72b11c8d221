// Word wrapping exactly as kubectl explain does it: github.com/mitchellh/go-wordwrap v1.0.1
// `WrapString`, which kubectl's template `wrap` function calls through its word-wrap writer.
// Widths count code points (Go ranges over runes), breaks happen only at whitespace, a word
// longer than the width is never split, explicit newlines are kept, and the whitespace run
// a line is broken on is dropped.

/** Go's unicode.IsSpace, which strings.Fields and strings.TrimSpace split and trim on. */
export const GO_SPACE: readonly number[] = [
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004,
  0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
];

/** go-wordwrap breaks at those, except NO-BREAK SPACE, which it treats as part of a word. */
const BREAKING_SPACE = new Set(GO_SPACE.filter((c) => c !== 0xa0));

/**
 * Wraps `s` at `limit` columns. A limit of 0 or less leaves the text alone: kubectl's writer
 * passes text through at 0, and a negative width becomes a huge unsigned one in Go.
 */
export function wrapString(s: string, limit: number): string {
  if (limit <= 0) return s;
  let out = '';
  let current = 0;
  let word = '';
  let wordLen = 0;
  let space = '';
  let spaceLen = 0;

  for (const ch of s) {
    if (ch === '\n') {
      if (wordLen === 0) {
        // Trailing whitespace survives only when it fits on the line.
        if (current + spaceLen <= limit) {
          current += spaceLen;
          out += space;
        }
      } else {
        current += spaceLen + wordLen;
        out += space + word;
        word = '';
        wordLen = 0;
      }
      space = '';
      spaceLen = 0;
      out += ch;
      current = 0;
    } else if (BREAKING_SPACE.has(ch.codePointAt(0)!)) {
      if (spaceLen === 0 || wordLen > 0) {
        current += spaceLen + wordLen;
        out += space + word;
        space = '';
        spaceLen = 0;
        word = '';
        wordLen = 0;
      }
      space += ch;
      spaceLen++;
    } else {
      word += ch;
      wordLen++;
      if (current + spaceLen + wordLen > limit && wordLen < limit) {
        // Break before this word; the pending whitespace is dropped.
        out += '\n';
        current = 0;
        space = '';
        spaceLen = 0;
      }
    }
  }

  if (wordLen === 0) {
    if (current + spaceLen <= limit) out += space;
  } else {
    out += space + word;
  }
  return out;
}
