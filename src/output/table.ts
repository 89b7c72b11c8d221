// Tables as kubectl draws them: columns are data (name, priority), each resource has one
// row function giving every cell (the API server always prints "wide" rows), and this
// module decides what is shown: -o wide columns, the NAMESPACE and LABELS columns, a
// "kind/" name prefix, the header. See cli-runtime's tableprinter.go (decorateTable,
// printTable) and printers.go.
import { formatLabels } from './labels.js';
import { TABLE_LAYOUT, tabwrite } from './tabwriter.js';
import { escapeTerminal } from './terminal.js';

export interface ColumnDefinition {
  /** As printers.go declares it ("Cluster-IP", "Port(s)"); headers are upper-cased. */
  name: string;
  /** 1: shown only with -o wide. */
  priority?: 0 | 1;
}

/** Name, Age and the like: every resource's row gives one cell per column definition. */
export type RowFunction<T> = (obj: T, now: Date) => string[];

export interface TableOptions {
  wide?: boolean;
  /** -A: a NAMESPACE column first. */
  withNamespace?: boolean;
  /** --show-labels: a LABELS column last. */
  showLabels?: boolean;
  noHeaders?: boolean;
  /** Several kinds in one listing: "service/" before each name ("kind.group/" for groups). */
  kindPrefix?: string;
}

interface Meta {
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> } | null;
}

/**
 * A cell as printTable writes it: cut at its first formfeed, newline or carriage return
 * (cellBreakChars: the tabwriter would break the line there) and marked "...", the rest
 * passed through WriteEscaped. Namespace and label cells too: decorateTable puts them
 * among the row's cells.
 */
export function tableCell(cell: string): string {
  const i = cell.search(/[\f\n\r]/);
  return i < 0 ? escapeTerminal(cell) : escapeTerminal(cell.slice(0, i)) + '...';
}

/** The header and rows, tab-separated, before alignment. */
export function tableLines<T extends Meta>(
  columns: readonly ColumnDefinition[],
  row: RowFunction<T>,
  objects: readonly T[],
  now: Date,
  options: TableOptions = {},
): string[][] {
  const visible = columns.map((c) => options.wide || !c.priority);
  const lines: string[][] = [];
  if (!options.noHeaders) {
    const header = columns.filter((_, i) => visible[i]).map((c) => c.name.toUpperCase());
    if (options.withNamespace) header.unshift('NAMESPACE');
    if (options.showLabels) header.push('LABELS');
    lines.push(header);
  }
  for (const obj of objects) {
    const cells = [...row(obj, now)];
    if (options.kindPrefix) cells[0] = `${options.kindPrefix}/${cells[0]}`;
    const shown = cells.filter((_, i) => visible[i]);
    if (options.withNamespace) shown.unshift(obj.metadata?.namespace ?? '');
    if (options.showLabels) shown.push(formatLabels(obj.metadata?.labels));
    lines.push(shown.map(tableCell));
  }
  return lines;
}

/** Aligns rows of cells with kubectl's table layout (minwidth 6, padding 3). */
export function alignTable(lines: readonly (readonly string[])[]): string {
  if (lines.length === 0) return '';
  return tabwrite(lines.map((cells) => cells.join('\t') + '\n').join(''), TABLE_LAYOUT);
}

/** One resource's table, aligned; "" when there is no object (kubectl prints no lone header). */
export function renderTable<T extends Meta>(
  columns: readonly ColumnDefinition[],
  row: RowFunction<T>,
  objects: readonly T[],
  now: Date,
  options: TableOptions = {},
): string {
  if (objects.length === 0) return '';
  return alignTable(tableLines(columns, row, objects, now, options));
}
