import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DESCRIBE_LAYOUT, TABLE_LAYOUT, cellWidth, tabwrite } from '../../src/output/tabwriter.js';

// Cases from Go's src/text/tabwriter/tabwriter_test.go, which github.com/liggitt/tabwriter (the
// fork cli-runtime's GetNewTabWriter uses) carries unchanged: 24 of its 29 cases with flags 0
// (53 cases in all). Left out: the Debug, StripEscape, AlignRight, FilterHTML and
// DiscardEmptyColumns cases, and the fork's GraphemeClusterWidth ones (kubectl sets none of
// these flags; RememberWidths only acts across flushes), "1b"-"1e esc" (the 0xff Escape byte
// has no JavaScript string form: it is not valid UTF-8) and "16a" (padchar '\t').
// [name, minwidth, tabwidth, padding, padchar, input, expected].
const GO_CASES: [string, number, number, number, string, string, string][] = [
  ['1a', 8, 0, 1, '.', '', ''],
  ['2', 8, 0, 1, '.', '\n\n\n', '\n\n\n'],
  ['3', 8, 0, 1, '.', 'a\nb\nc', 'a\nb\nc'],
  ['4a', 8, 0, 1, '.', '\t', ''],
  ['5', 8, 0, 1, '.', '*\t*', '*.......*'],
  ['5b', 8, 0, 1, '.', '*\t*\n', '*.......*\n'],
  ['5c', 8, 0, 1, '.', '*\t*\t', '*.......*'],
  ['6', 8, 0, 1, '.', '\t\n', '........\n'],
  ['7a', 8, 0, 1, '.', 'a) foo', 'a) foo'],
  ['7b', 8, 0, 1, ' ', 'b) foo\tbar', 'b) foo  bar'],
  ['7c', 8, 0, 1, '.', 'c) foo\tbar\t', 'c) foo..bar'],
  ['7d', 8, 0, 1, '.', 'd) foo\tbar\n', 'd) foo..bar\n'],
  ['7e', 8, 0, 1, '.', 'e) foo\tbar\t\n', 'e) foo..bar.....\n'],
  ['8', 8, 0, 1, '*', 'Hello, world!\n', 'Hello, world!\n'],
  ['9a', 1, 0, 0, '.', '1\t2\t3\t4\n11\t222\t3333\t44444\n', '1.2..3...4\n11222333344444\n'],
  ['9c', 1, 0, 0, '.', '1\t2\t3\t4\f11\t222\t3333\t44444\n', '1234\n11222333344444\n'],
  ['10a', 5, 0, 0, '.', '1\t2\t3\t4\n', '1....2....3....4\n'],
  ['10b', 5, 0, 0, '.', '1\t2\t3\t4\t\n', '1....2....3....4....\n'],
  [
    '11',
    8, 0, 1, '.',
    '本\tb\tc\naa\t本本本\tcccc\tddddd\naaa\tbbbb\n',
    '本.......b.......c\naa......本本本.....cccc....ddddd\naaa.....bbbb\n',
  ],
  ['12b', 2, 0, 0, ' ', 'a\tb\tc\naa\tbbb\tcccc\naaa\tbbbb\n', 'a  b  c\naa bbbcccc\naaabbbb\n'],
  ['12c', 8, 0, 1, '_', 'a\tb\tc\naa\tbbb\tcccc\naaa\tbbbb\n', 'a_______b_______c\naa______bbb_____cccc\naaa_____bbbb\n'],
  [
    '13a',
    4, 0, 1, '-',
    '4444\t日本語\t22\t1\t333\n999999999\t22\n7\t22\n\t\t\t88888888\n\n666666\t666666\t666666\t4444\n1\t1\t999999999\t0000000000\n',
    '4444------日本語-22--1---333\n999999999-22\n7---------22\n------------------88888888\n\n666666-666666-666666----4444\n1------1------999999999-0000000000\n',
  ],
  [
    '13b',
    4, 0, 3, '.',
    '4444\t333\t22\t1\t333\n999999999\t22\n7\t22\n\t\t\t88888888\n\n666666\t666666\t666666\t4444\n1\t1\t999999999\t0000000000\n',
    '4444........333...22...1...333\n999999999...22\n7...........22\n....................88888888\n\n666666...666666...666666......4444\n1........1........999999999...0000000000\n',
  ],
  ['15a', 4, 0, 0, '.', 'a\t\tb', 'a.......b'],
];

describe('tabwrite (a port of Go text/tabwriter)', () => {
  for (const [name, minwidth, tabwidth, padding, padchar, input, expected] of GO_CASES) {
    it(`matches Go's tabwriter test case ${name}`, () => {
      assert.equal(tabwrite(input, { minwidth, tabwidth, padding, padchar }), expected);
    });
  }

  it("matches liggitt/tabwriter's TestMultiWrite before its second Flush (RememberWidths only matters across flushes)", () => {
    assert.equal(
      tabwrite('First\tMiddle\tLast\na\tbb\tccc\nddd\teeeeeeeeeeeeee\tf\n', TABLE_LAYOUT),
      'First   Middle           Last\na       bb               ccc\nddd     eeeeeeeeeeeeee   f\n',
    );
  });

  it('ends a cell at a vertical tab as at a tab (Write: case \'\\t\', \'\\v\'; only DiscardEmptyColumns tells them apart)', () => {
    assert.equal(tabwrite('a\vbb\tc\nddd\veeee\tf\n', TABLE_LAYOUT), tabwrite('a\tbb\tc\nddd\teeee\tf\n', TABLE_LAYOUT));
  });

  it('writes a formfeed as a newline and starts new columns after it (Write: a \'\\f\' always forces a flush)', () => {
    assert.equal(tabwrite('a\tb\flong-cell\tc\n', TABLE_LAYOUT), 'a     b\nlong-cell   c\n');
  });

  it('pads each column to its widest cell plus 3 and never pads the last column (kubectl tables)', () => {
    // Columns: NAME, TYPE, AGE
    const text = 'NAME\tTYPE\tAGE\nkubernetes\tClusterIP\t7d\nx\tNodePort\t5s\n';
    assert.equal(tabwrite(text, TABLE_LAYOUT), 'NAME         TYPE        AGE\nkubernetes   ClusterIP   7d\nx            NodePort    5s\n');
  });

  it('gives a column at least 6 characters (minwidth) even when its cells are short', () => {
    assert.equal(tabwrite('A\tB\tC\n', TABLE_LAYOUT), 'A     B     C\n');
  });

  it('ends a column block at a line without that column, as describe relies on', () => {
    // "Port:" and "NodePort:" carry an extra cell: the name aligns only with itself.
    const text = 'Name:\tweb\nPort:\tweb-http\t80/TCP\nTargetPort:\t8080/TCP\nNodePort:\tweb-http\t30080/TCP\nEndpoints:\t\n';
    assert.equal(
      tabwrite(text, DESCRIBE_LAYOUT),
      'Name:        web\n' +
        'Port:        web-http  80/TCP\n' +
        'TargetPort:  8080/TCP\n' +
        'NodePort:    web-http  30080/TCP\n' +
        // An empty last cell still gets its label padded: kubectl prints trailing spaces here.
        'Endpoints:   \n',
    );
  });

  it('starts new column widths after a line without tabs (Go flushes there)', () => {
    assert.equal(tabwrite('a\tb\nlong-cell\tc\n\nx\ty\n', TABLE_LAYOUT), 'a           b\nlong-cell   c\n\nx     y\n');
  });

  it('measures cells in runes and ignores colour codes', () => {
    assert.equal(cellWidth('ñandú'), 5);
    assert.equal(cellWidth('\u001b[32mready\u001b[39m'), 5);
    assert.equal(tabwrite('\u001b[1mNAME\u001b[22m\tX\nab\tY\n', TABLE_LAYOUT), '\u001b[1mNAME\u001b[22m   X\nab     Y\n');
  });
});
