// A port of Go's text/tabwriter (the elastic-tabstops writer kubectl draws every table
// and every `describe` with). Cells are tab-TERMINATED: the text after a line's last tab
// is not part of any column, so the last column is never padded. A column block is a run
// of consecutive lines that have a cell in that column; its width is the widest cell plus
// the padding, at least minwidth. A line without any tab ends every block (Go flushes).
//
// Only what kubectl uses is ported: left alignment, a space pad character, no flags (so no
// Escape character, HTML filtering or discarded empty columns).
// Widths count runes, as Go does, and ignore ANSI colour sequences so that colouring a
// cell never changes the layout.

export interface TabWriterOptions {
  minwidth: number;
  tabwidth: number;
  padding: number;
  /** Pad character; kubectl always uses ' ' (others only for Go's own test cases). */
  padchar?: string;
}

/** cli-runtime's GetNewTabWriter: every `get` table. */
export const TABLE_LAYOUT: TabWriterOptions = { minwidth: 6, tabwidth: 4, padding: 3 };

/** kubectl describe's tabbedString: tabwriter.Init(buf, 0, 8, 2, ' ', 0). */
export const DESCRIBE_LAYOUT: TabWriterOptions = { minwidth: 0, tabwidth: 8, padding: 2 };

const ANSI = /\u001b\[[0-9;]*m/g;

/** Visible width of a cell: runes, colour codes excluded. */
export function cellWidth(text: string): number {
  let n = 0;
  for (const _ of text.replace(ANSI, '')) n++;
  return n;
}

interface Cell {
  text: string;
  width: number;
}

/**
 * Aligns tab-separated text exactly as Go's tabwriter with a ' ' pad character.
 * Cells end at "\t" or "\v" (a "soft" tab, the same without DiscardEmptyColumns); lines
 * end at "\n" or "\f", both written as "\n", and a "\f" also flushes: the next line starts
 * new columns. A final line without a line break is written as is.
 */
export function tabwrite(text: string, options: TabWriterOptions): string {
  // [line, break, line, break, ..., text after the last break]
  const parts = text.split(/([\n\f])/);
  const rawLines: { text: string; lineBreak?: string }[] = [];
  for (let i = 0; i < parts.length; i += 2) rawLines.push({ text: parts[i]!, lineBreak: parts[i + 1] });
  const endsWithBreak = rawLines[rawLines.length - 1]!.text === '';
  if (endsWithBreak) rawLines.pop();

  let out = '';
  let block: Cell[][] = [];
  const flush = () => {
    out += formatBlock(block, options);
    block = [];
  };
  rawLines.forEach((line, i) => {
    const isLast = i === rawLines.length - 1;
    const cells = line.text.split(/[\t\v]/).map((t) => ({ text: t, width: cellWidth(t) }));
    // Go drops the empty cell after a final tab when no line break follows it.
    if (isLast && !endsWithBreak && cells.length > 1 && cells[cells.length - 1]!.text === '') cells.pop();
    block.push(cells);
    // Go flushes after a "\f", and after a line made of a single cell: it cannot affect later columns.
    if (line.lineBreak === '\f' || cells.length === 1 || isLast) flush();
  });
  if (!endsWithBreak && out.endsWith('\n')) out = out.slice(0, -1);
  return out;
}

/** Formats a run of lines (each ending in a newline) the way Go's format() does. */
function formatBlock(lines: Cell[][], options: TabWriterOptions): string {
  const widths: number[] = [];
  let out = '';
  const write = (line0: number, line1: number) => {
    for (let i = line0; i < line1; i++) {
      const cells = lines[i]!;
      cells.forEach((c, j) => {
        out += c.text;
        // The last cell of a line belongs to no column: never padded.
        if (j < cells.length - 1 && j < widths.length) out += (options.padchar ?? ' ').repeat(widths[j]! - c.width);
      });
      out += '\n';
    }
  };
  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    for (let row = line0; row < line1; row++) {
      if (column >= lines[row]!.length - 1) continue;
      // A cell exists in this column: the block of lines that share it starts here.
      write(line0, row);
      line0 = row;
      let width = options.minwidth;
      for (; row < line1; row++) {
        const cells = lines[row]!;
        if (column >= cells.length - 1) break;
        width = Math.max(width, cells[column]!.width + options.padding);
      }
      widths.push(width);
      format(line0, row);
      widths.pop();
      // As in Go, the loop's increment skips the line that ended the block: it has no
      // cell in this column, so it cannot start another one.
      line0 = row;
    }
    write(line0, line1);
  };
  format(0, lines.length);
  return out;
}
