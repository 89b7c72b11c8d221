import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { printService, serviceColumns } from '../../src/output/service-rows.js';
import { renderTable, tableLines, type ColumnDefinition } from '../../src/output/table.js';
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
