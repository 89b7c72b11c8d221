import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { printService, serviceColumns } from '../../src/output/service-rows.js';
import { printName } from '../../src/output/formats.js';
import { renderTable, tableCell, tableLines, type ColumnDefinition, type TableOptions } from '../../src/output/table.js';
import { NOW, ago, service } from '../helpers/objects.js';

const web = service({
  name: 'web',
  namespace: 'shop',
  created: ago(156),
  labels: { app: 'web', tier: 'front' },
  spec: { type: 'NodePort', clusterIPs: ['172.30.85.132'], ports: [{ port: 8080, nodePort: 32291, protocol: 'TCP' }], selector: { app: 'web' } },
});
const db = service({ name: 'db', namespace: 'shop', created: ago(119), spec: { type: 'ClusterIP', clusterIPs: ['None'], ports: [{ port: 5432, protocol: 'TCP' }] } });

describe('renderTable (cli-runtime tableprinter + tabwriter)', () => {
  it('upper-cases the headers, hides wide columns, aligns with 3 spaces and leaves the last column unpadded', () => {
    assert.equal(
      renderTable(serviceColumns, printService, [web, db], NOW),
      'NAME   TYPE        CLUSTER-IP      EXTERNAL-IP   PORT(S)          AGE\n' +
        'web    NodePort    172.30.85.132   <none>        8080:32291/TCP   2m36s\n' +
        'db     ClusterIP   None            <none>        5432/TCP         119s\n',
    );
  });

  it('adds the priority-1 columns with -o wide', () => {
    assert.deepEqual(tableLines(serviceColumns, printService, [web], NOW, { wide: true })[0], ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR']);
    assert.equal(tableLines(serviceColumns, printService, [web], NOW, { wide: true })[1]![6], 'app=web');
  });

  it('puts NAMESPACE first with -A and LABELS last with --show-labels', () => {
    const lines = tableLines(serviceColumns, printService, [web, db], NOW, { withNamespace: true, showLabels: true, wide: true });
    assert.deepEqual(lines[0], ['NAMESPACE', 'NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR', 'LABELS']);
    assert.deepEqual([lines[1]![0], lines[1]![8]], ['shop', 'app=web,tier=front']);
    assert.deepEqual([lines[2]![0], lines[2]![8]], ['shop', '<none>']);
  });

  it('drops the header with --no-headers and prefixes names with their kind when asked', () => {
    assert.equal(renderTable(serviceColumns, printService, [db], NOW, { noHeaders: true, kindPrefix: 'service' }), 'service/db   ClusterIP   None   <none>   5432/TCP   119s\n');
  });

  it('prints nothing, not even a header, for no objects', () => {
    assert.equal(renderTable(serviceColumns, printService, [], NOW), '');
  });

  it('cuts a cell at its first newline and marks it with "..."', () => {
    const columns: ColumnDefinition[] = [{ name: 'Name' }, { name: 'Note' }];
    const lines = tableLines(columns, (o: { metadata: { name: string } }) => [o.metadata.name, 'first\nsecond'], [{ metadata: { name: 'x' } }], NOW);
    assert.deepEqual(lines[1], ['x', 'first...']);
  });
});

// Ports of kubernetes/kubernetes staging/src/k8s.io/cli-runtime/pkg/printers/tableprinter_test.go:
// TestPrintTable_MissingColumnsRows (2 cases), TestPrintTable_ColumnPriority (4),
// TestPrintTable_ColumnHeaders (4), TestPrintTable_WithNamespace (1), TestPrintTable_WithKind (1),
// TestPrintTable_WithLabels (the ShowLabels case; the two ColumnLabels cases are -L, which
// svctrace does not have) and TestStringPrinting (3). kubectl's test builds a metav1.Table; here
// the same column definitions and cells go through renderTable, the object of a row (testPod)
// giving the namespace and labels. int64 cells are their decimal text.
describe('renderTable: tableprinter_test.go', () => {
  interface Row {
    cells: string[];
    metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
  }
  const testPod = { name: 'test-pod-name', namespace: 'test-namespace', labels: { 'first-label': '12', 'second-label': 'label-value' } };
  const print = (columns: ColumnDefinition[], rows: Row[], options: TableOptions = {}) => renderTable(columns, (r: Row) => r.cells, rows, NOW, options);
  const columns: ColumnDefinition[] = [{ name: 'Name' }, { name: 'Ready' }, { name: 'Status' }, { name: 'Retries' }, { name: 'Age' }];
  const lowPriority: ColumnDefinition[] = [{ name: 'Name' }, { name: 'Ready' }, { name: 'Status' }, { name: 'Retries', priority: 1 }, { name: 'Age', priority: 1 }];
  const row1: Row = { cells: ['test1', '1/1', 'podPhase', '5', '20h'] };
  const threeRows: Row[] = [row1, { cells: ['test2', '1/2', 'podPhase', '30', '21h'] }, { cells: ['test3', '4/4', 'podPhase', '1', '22h'] }];
  const withPod = (r: Row): Row => ({ ...r, metadata: testPod });

  const cases: [string, ColumnDefinition[], Row[], TableOptions, string][] = [
    ['MissingColumnsRows: No columns and no rows means table string is empty.', [], [], {}, ''],
    ["MissingColumnsRows: No rows, means table string is empty (columns aren't printed).", columns, [], {}, ''],
    ['ColumnPriority: a basic single row table. Columns with priority > 0 are not printed.', lowPriority, [row1], {}, 'NAME    READY   STATUS\ntest1   1/1     podPhase\n'],
    [
      'ColumnPriority: a basic multi-row table. Columns with priority > 0 are not printed.',
      lowPriority,
      threeRows,
      {},
      'NAME    READY   STATUS\ntest1   1/1     podPhase\ntest2   1/2     podPhase\ntest3   4/4     podPhase\n',
    ],
    [
      'ColumnPriority: a single row table with "wide" printing option. Columns with priority > 0 are printed.',
      lowPriority,
      [row1],
      { wide: true },
      'NAME    READY   STATUS     RETRIES   AGE\ntest1   1/1     podPhase   5         20h\n',
    ],
    [
      'ColumnPriority: a multi-row table with "wide" printing option. Columns with priority > 0 are printed.',
      lowPriority,
      threeRows,
      { wide: true },
      'NAME    READY   STATUS     RETRIES   AGE\ntest1   1/1     podPhase   5         20h\ntest2   1/2     podPhase   30        21h\ntest3   4/4     podPhase   1         22h\n',
    ],
    ['ColumnHeaders: a basic single row table, shows columns.', columns, [row1], {}, 'NAME    READY   STATUS     RETRIES   AGE\ntest1   1/1     podPhase   5         20h\n'],
    [
      'ColumnHeaders: a basic multi-row table, shows columns.',
      columns,
      threeRows,
      {},
      'NAME    READY   STATUS     RETRIES   AGE\ntest1   1/1     podPhase   5         20h\ntest2   1/2     podPhase   30        21h\ntest3   4/4     podPhase   1         22h\n',
    ],
    ['ColumnHeaders: a single row table with "NoHeaders" option, doesn\'t print columns.', columns, [row1], { noHeaders: true }, 'test1   1/1   podPhase   5     20h\n'],
    [
      'ColumnHeaders: a multi-row table with "NoHeaders" option, doesn\'t print columns.',
      columns,
      threeRows,
      { noHeaders: true },
      'test1   1/1   podPhase   5     20h\ntest2   1/2   podPhase   30    21h\ntest3   4/4   podPhase   1     22h\n',
    ],
    [
      'WithNamespace: a single row table "WithNamespace" option, prepends NAMESPACE column.',
      columns,
      [withPod(row1)],
      { withNamespace: true },
      'NAMESPACE        NAME    READY   STATUS     RETRIES   AGE\ntest-namespace   test1   1/1     podPhase   5         20h\n',
    ],
    ['WithKind: a single row table "WithKind" option, prepends "pod" to name.', columns, [row1], { kindPrefix: 'pod' }, 'NAME        READY   STATUS     RETRIES   AGE\npod/test1   1/1     podPhase   5         20h\n'],
    [
      'WithLabels: a table "ShowLabels" option, appends labels as columns.',
      columns,
      [withPod(row1)],
      { showLabels: true },
      'NAME    READY   STATUS     RETRIES   AGE   LABELS\ntest1   1/1     podPhase   5         20h   first-label=12,second-label=label-value\n',
    ],
  ];
  for (const [name, cols, rows, options, expected] of cases) it(name, () => assert.equal(print(cols, rows, options), expected));

  const strings: ColumnDefinition[] = [{ name: 'Name' }, { name: 'Age' }, { name: 'Description' }];
  const long = 'This is first line which is long and goes for on and on and on an on and on and on and on and on and on and on and on and on and on and on';
  const stringCases: [string, string, string][] = [
    ['multiline string', 'This is first line\nThis is second line\nThis is third line\nand another one\n', 'NAME    AGE   DESCRIPTION\ntest1   20h   This is first line...\n'],
    ['lengthy string', long, `NAME    AGE   DESCRIPTION\ntest1   20h   ${long}\n`],
    ['lengthy string + newline', 'This is first\n line which is long and goes for on and on and on an on and on and on and on and on and on and on and on and on and on and on', 'NAME    AGE   DESCRIPTION\ntest1   20h   This is first...\n'],
  ];
  for (const [name, description, expected] of stringCases) {
    it(`TestStringPrinting: ${name}`, () => assert.equal(print(strings, [{ cells: ['test1', '20h', description] }]), expected));
  }
});

// tableprinter.go printTable / appendCellValue: a cell stops at the first of cellBreakChars
// ("\f\n\r": the tabwriter would break the line there), marked "..."; what is printed goes
// through WriteEscaped (terminal.go: "\x1b" as "^[", "\r" as "\\r"). No upstream test in the
// copy read; asserted from the source.
describe('tableCell (printTable cell text)', () => {
  it('cuts at a formfeed or carriage return as at a newline', () => {
    assert.equal(tableCell('a\fb'), 'a...');
    assert.equal(tableCell('a\rb\nc'), 'a...');
  });
  it('shows terminal escapes instead of obeying them, in every cell of the row', () => {
    assert.equal(tableCell('\u001b[31mred'), '^[[31mred');
    const columns: ColumnDefinition[] = [{ name: 'Name' }, { name: 'Reason' }];
    const lines = tableLines(columns, (o: { metadata: { name: string } }) => [o.metadata.name, 'x\u001b]0;title\u0007'], [{ metadata: { name: 'p' } }], NOW);
    assert.deepEqual(lines[1], ['p', 'x^[]0;title\u0007']);
  });
});

// printers_test.go TestFormatResourceName: the "kind/name" and "kind.group/name" forms (the
// empty-kind rows do not arise: every svctrace resource has a kind).
describe('printName: printers_test.go TestFormatResourceName', () => {
  it('writes kind/name, lower-cased', () => assert.equal(printName('Kind', '', 'name'), 'kind/name\n'));
  it('writes kind.group/name with a group', () => assert.equal(printName('Kind', 'group', 'name'), 'kind.group/name\n'));
});
