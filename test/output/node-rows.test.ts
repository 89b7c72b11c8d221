import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Node } from '../../src/cluster/types.js';
import { nodeRoles, printNode } from '../../src/output/node-rows.js';
import { NOW, ago, node, wire } from '../helpers/objects.js';

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
});

// Ports of kubernetes/kubernetes pkg/printers/internalversion/printers_test.go TestPrintNodeStatus
// (9 cases), TestPrintNodeRole (3), TestPrintNodeOSImage (2), TestPrintNodeKernelVersion (2),
// TestPrintNodeContainerRuntimeVersion (2), TestPrintNodeName (2), TestPrintNodeExternalIP (3),
// TestPrintNodeInternalIP (3), and the Node entry of TestTableRowDeepCopyShouldNotPanic. The
// nodes are in wire form, with only the fields kubectl's literals set (no nodeInfo: an empty
// VERSION; no creation time: AGE <unknown>). Non-wide cases compare the first five cells.
type NodeCase = [string, object, string[]];
const nodeOf = (o: object) => wire<Node>(o);
const ready = (status: string) => ({ type: 'Ready', status });

function nodeCases(title: string, cases: NodeCase[]) {
  describe(`printNode: printers_test.go ${title}`, () => {
    for (const [name, obj, expected] of cases) {
      it(name, () => {
        // Columns: Name, Status, Roles, Age, Version (, Internal-IP, External-IP, OS-Image, Kernel-Version, Container-Runtime with Wide)
        assert.deepEqual(printNode(nodeOf(obj), NOW).slice(0, expected.length), expected);
      });
    }
  });
}

nodeCases('TestPrintNodeStatus', [
  ['Ready', { metadata: { name: 'foo1' }, status: { conditions: [ready('True')] } }, ['foo1', 'Ready', '<none>', '<unknown>', '']],
  ['Ready and unschedulable', { metadata: { name: 'foo2' }, spec: { unschedulable: true }, status: { conditions: [ready('True')] } }, ['foo2', 'Ready,SchedulingDisabled', '<none>', '<unknown>', '']],
  ['two Ready conditions', { metadata: { name: 'foo3' }, status: { conditions: [ready('True'), ready('True')] } }, ['foo3', 'Ready', '<none>', '<unknown>', '']],
  ['not ready', { metadata: { name: 'foo4' }, status: { conditions: [ready('False')] } }, ['foo4', 'NotReady', '<none>', '<unknown>', '']],
  ['not ready and unschedulable', { metadata: { name: 'foo5' }, spec: { unschedulable: true }, status: { conditions: [ready('False')] } }, ['foo5', 'NotReady,SchedulingDisabled', '<none>', '<unknown>', '']],
  ['an invalid condition type', { metadata: { name: 'foo6' }, status: { conditions: [{ type: 'InvalidValue', status: 'True' }] } }, ['foo6', 'Unknown', '<none>', '<unknown>', '']],
  ['an empty condition', { metadata: { name: 'foo7' }, status: { conditions: [{ type: '', status: '' }] } }, ['foo7', 'Unknown', '<none>', '<unknown>', '']],
  [
    'an invalid condition type and unschedulable',
    { metadata: { name: 'foo8' }, spec: { unschedulable: true }, status: { conditions: [{ type: 'InvalidValue', status: 'True' }] } },
    ['foo8', 'Unknown,SchedulingDisabled', '<none>', '<unknown>', ''],
  ],
  [
    'an empty condition and unschedulable',
    { metadata: { name: 'foo9' }, spec: { unschedulable: true }, status: { conditions: [{ type: '', status: '' }] } },
    ['foo9', 'Unknown,SchedulingDisabled', '<none>', '<unknown>', ''],
  ],
]);

nodeCases('TestPrintNodeRole', [
  ['no labels', { metadata: { name: 'foo9' } }, ['foo9', 'Unknown', '<none>', '<unknown>', '']],
  [
    'node-role.kubernetes.io/* keys and a kubernetes.io/role value, sorted',
    {
      metadata: {
        name: 'foo10',
        labels: { 'node-role.kubernetes.io/master': '', 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/proxy': '', 'kubernetes.io/role': 'node' },
      },
    },
    ['foo10', 'Unknown', 'control-plane,master,node,proxy', '<unknown>', ''],
  ],
  ['kubernetes.io/role only', { metadata: { name: 'foo11', labels: { 'kubernetes.io/role': 'node' } } }, ['foo11', 'Unknown', 'node', '<unknown>', '']],
]);

const ext = (address: string) => ({ type: 'ExternalIP', address });
const int = (address: string) => ({ type: 'InternalIP', address });

nodeCases('TestPrintNodeOSImage (Wide)', [
  ['OS image set', { metadata: { name: 'foo1' }, status: { nodeInfo: { osImage: 'fake-os-image' }, addresses: [ext('1.1.1.1')] } }, ['foo1', 'Unknown', '<none>', '<unknown>', '', '<none>', '1.1.1.1', 'fake-os-image', '<unknown>', '<unknown>']],
  [
    'kernel version set',
    { metadata: { name: 'foo2' }, status: { nodeInfo: { kernelVersion: 'fake-kernel-version' }, addresses: [ext('1.1.1.1')] } },
    ['foo2', 'Unknown', '<none>', '<unknown>', '', '<none>', '1.1.1.1', '<unknown>', 'fake-kernel-version', '<unknown>'],
  ],
]);

nodeCases('TestPrintNodeKernelVersion (Wide)', [
  [
    'kernel version set',
    { metadata: { name: 'foo1' }, status: { nodeInfo: { kernelVersion: 'fake-kernel-version' }, addresses: [ext('1.1.1.1')] } },
    ['foo1', 'Unknown', '<none>', '<unknown>', '', '<none>', '1.1.1.1', '<unknown>', 'fake-kernel-version', '<unknown>'],
  ],
  ['OS image set', { metadata: { name: 'foo2' }, status: { nodeInfo: { osImage: 'fake-os-image' }, addresses: [ext('1.1.1.1')] } }, ['foo2', 'Unknown', '<none>', '<unknown>', '', '<none>', '1.1.1.1', 'fake-os-image', '<unknown>', '<unknown>']],
]);

nodeCases('TestPrintNodeContainerRuntimeVersion (Wide)', [
  [
    'container runtime set',
    { metadata: { name: 'foo1' }, status: { nodeInfo: { containerRuntimeVersion: 'foo://1.2.3' }, addresses: [ext('1.1.1.1')] } },
    ['foo1', 'Unknown', '<none>', '<unknown>', '', '<none>', '1.1.1.1', '<unknown>', '<unknown>', 'foo://1.2.3'],
  ],
  ['empty node info', { metadata: { name: 'foo2' }, status: { nodeInfo: {}, addresses: [ext('1.1.1.1')] } }, ['foo2', 'Unknown', '<none>', '<unknown>', '', '<none>', '1.1.1.1', '<unknown>', '<unknown>', '<unknown>']],
]);

nodeCases('TestPrintNodeName', [
  ['an IP as name', { metadata: { name: '127.0.0.1' }, status: {} }, ['127.0.0.1', 'Unknown', '<none>', '<unknown>', '']],
  ['an empty name', { metadata: { name: '' }, status: {} }, ['', 'Unknown', '<none>', '<unknown>', '']],
]);

nodeCases('TestPrintNodeExternalIP (Wide)', [
  ['an external IP', { metadata: { name: 'foo1' }, status: { addresses: [ext('1.1.1.1')] } }, ['foo1', 'Unknown', '<none>', '<unknown>', '', '<none>', '1.1.1.1', '<unknown>', '<unknown>', '<unknown>']],
  ['an internal IP', { metadata: { name: 'foo2' }, status: { addresses: [int('1.1.1.1')] } }, ['foo2', 'Unknown', '<none>', '<unknown>', '', '1.1.1.1', '<none>', '<unknown>', '<unknown>', '<unknown>']],
  [
    'the first address of each type',
    { metadata: { name: 'foo3' }, status: { addresses: [ext('2.2.2.2'), int('3.3.3.3'), ext('4.4.4.4')] } },
    ['foo3', 'Unknown', '<none>', '<unknown>', '', '3.3.3.3', '2.2.2.2', '<unknown>', '<unknown>', '<unknown>'],
  ],
]);

nodeCases('TestPrintNodeInternalIP (Wide)', [
  ['an internal IP', { metadata: { name: 'foo1' }, status: { addresses: [int('1.1.1.1')] } }, ['foo1', 'Unknown', '<none>', '<unknown>', '', '1.1.1.1', '<none>', '<unknown>', '<unknown>', '<unknown>']],
  ['an external IP', { metadata: { name: 'foo2' }, status: { addresses: [ext('1.1.1.1')] } }, ['foo2', 'Unknown', '<none>', '<unknown>', '', '<none>', '1.1.1.1', '<unknown>', '<unknown>', '<unknown>']],
  [
    'the first address of each type',
    { metadata: { name: 'foo3' }, status: { addresses: [int('2.2.2.2'), ext('3.3.3.3'), int('4.4.4.4')] } },
    ['foo3', 'Unknown', '<none>', '<unknown>', '', '2.2.2.2', '3.3.3.3', '<unknown>', '<unknown>', '<unknown>'],
  ],
]);

describe('printNode: printers_test.go TestTableRowDeepCopyShouldNotPanic', () => {
  it('an empty Node still gives a row', () => assert.equal(printNode(nodeOf({}), NOW).length, 10));
});
