import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Node } from '../../src/cluster/types.js';
import { nodeRoles, printNode } from '../../src/output/node-rows.js';
import { NOW, ago, node } from '../helpers/objects.js';

describe('printNode', () => {
  it('prints Ready, roles from node-role labels, age and kubelet version', () => {
    const n = node({ name: 'worker0', created: ago(7 * 86400), labels: { 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/infra': '' } });
    // Columns: Name, Status, Roles, Age, Version
    assert.deepEqual(printNode(n, NOW).slice(0, 5), ['worker0', 'Ready', 'infra,worker', '7d', 'v1.30.2']);
  });

  it('says NotReady, Unknown without a Ready condition, and adds SchedulingDisabled when cordoned', () => {
    assert.equal(printNode(node({ ready: 'False' }), NOW)[1], 'NotReady');
    assert.equal(printNode(node({ ready: null, unschedulable: true }), NOW)[1], 'Unknown,SchedulingDisabled');
    assert.equal(printNode(node({ unschedulable: true }), NOW)[1], 'Ready,SchedulingDisabled');
  });

  it('reads roles from kubernetes.io/role values too, unique and sorted, else <none>', () => {
    assert.deepEqual(nodeRoles(node({ labels: { 'kubernetes.io/role': 'master', 'node-role.kubernetes.io/master': '', 'node-role.kubernetes.io/': '' } })), ['master']);
    assert.equal(printNode(node({ labels: { 'kubernetes.io/role': '' } }), NOW)[2], '<none>');
  });

  // From printers_test.go TestPrintNodeExternalIP / TestPrintNodeInternalIP: the first
  // address of each type, <none> when absent; <unknown> for missing node info.
  it('shows the first internal and external address, and <unknown> for missing node info', () => {
    const n: Node = {
      metadata: { name: 'foo3' },
      status: {
        addresses: [
          { type: 'ExternalIP', address: '2.2.2.2' },
          { type: 'InternalIP', address: '3.3.3.3' },
          { type: 'ExternalIP', address: '4.4.4.4' },
        ],
      },
    };
    // Columns: Name, Status, Roles, Age, Version, Internal-IP, External-IP, OS-Image, Kernel-Version, Container-Runtime
    assert.deepEqual(printNode(n, NOW), ['foo3', 'Unknown', '<none>', '<unknown>', '', '3.3.3.3', '2.2.2.2', '<unknown>', '<unknown>', '<unknown>']);
  });
});
