import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from '../../src/cluster/types.js';
import { printPod, readinessGates } from '../../src/output/pod-rows.js';
import { NOW, ago, wire } from '../helpers/objects.js';

// Ports of kubernetes/kubernetes pkg/printers/internalversion/printers_test.go (the copy with
// TestPrintPodWithRestartableInitContainer's "test4" and ResourceClaim's ExactDeviceRequest):
// TestPrintPod (21 cases), TestPrintPodWithRestartableInitContainer (5), TestPrintPodwide (3),
// TestPrintPodConditions (3), TestPrintPodList (1 list, 2 rows), TestPrintNonTerminatedPod (5),
// and the Pod entry of TestTableRowDeepCopyShouldNotPanic. kubectl's test builds internal Go
// structs; here each is the same object in wire (JSON) form: `make([]api.Container, n)` is n
// containers named "", `time.Now().Add(-10 * time.Second)` is ago(10), and zero-valued
// structs (`Terminated{}`) carry their zero fields (`exitCode: 0`). No case sets a creation
// time, so AGE is always <unknown>. kubectl's rows also carry Conditions (RowCompleted for
// Succeeded and Failed pods), which only -o wide's hidden machinery uses: not ported.

type PodStatus = object;

const unnamed = (n: number) => Array.from({ length: n }, () => ({ name: '' }));
const running = { running: {} };
const waiting = (reason?: string) => ({ waiting: reason ? { reason } : {} });
const terminated = (o: { reason?: string; exitCode?: number } = {}) => ({ terminated: { exitCode: o.exitCode ?? 0, ...(o.reason ? { reason: o.reason } : {}) } });
/** LastTerminationState: Terminated{FinishedAt: now - seconds}. */
const lastFinished = (seconds: number) => ({ terminated: { exitCode: 0, finishedAt: ago(seconds) } });

interface PodCase {
  name?: string;
  deleted?: boolean;
  labels?: Record<string, string>;
  containers?: object[];
  initContainers?: object[];
  nodeName?: string;
  readinessGates?: string[];
  status: PodStatus;
}

const podOf = (c: PodCase): Pod =>
  wire<Pod>({
    metadata: {
      name: c.name ?? '',
      ...(c.deleted ? { deletionTimestamp: ago(10) } : {}),
      ...(c.labels ? { labels: c.labels } : {}),
    },
    spec: {
      containers: c.containers ?? [],
      ...(c.initContainers ? { initContainers: c.initContainers } : {}),
      ...(c.nodeName !== undefined ? { nodeName: c.nodeName } : {}),
      ...(c.readinessGates ? { readinessGates: c.readinessGates.map((conditionType) => ({ conditionType })) } : {}),
    },
    status: c.status,
  });

// Columns: Name, Ready, Status, Restarts, Age
const cells = (pod: Pod) => printPod(pod, NOW).slice(0, 5);

describe('printPod: printers_test.go TestPrintPod', () => {
  const cases: [string, Pod, string[]][] = [
    [
      'Test name, num of containers, restarts, container ready status',
      podOf({ name: 'test1', containers: unnamed(2), status: { phase: 'podPhase', containerStatuses: [{ ready: true, restartCount: 3, state: running }, { restartCount: 3 }] } }),
      ['test1', '1/2', 'podPhase', '6', '<unknown>'],
    ],
    [
      'Test container error overwrites pod phase',
      podOf({
        name: 'test2',
        containers: unnamed(2),
        status: { phase: 'podPhase', containerStatuses: [{ ready: true, restartCount: 3, state: running }, { state: waiting('ContainerWaitingReason'), restartCount: 3 }] },
      }),
      ['test2', '1/2', 'ContainerWaitingReason', '6', '<unknown>'],
    ],
    [
      'Test the same as the above but with Terminated state and the first container overwrites the rest',
      podOf({
        name: 'test3',
        containers: unnamed(2),
        status: {
          phase: 'podPhase',
          containerStatuses: [
            { state: waiting('ContainerWaitingReason'), restartCount: 3 },
            { state: terminated({ reason: 'ContainerTerminatedReason' }), restartCount: 3 },
          ],
        },
      }),
      ['test3', '0/2', 'ContainerWaitingReason', '6', '<unknown>'],
    ],
    [
      'Test ready is not enough for reporting running',
      podOf({ name: 'test4', containers: unnamed(2), status: { phase: 'podPhase', containerStatuses: [{ ready: true, restartCount: 3, state: running }, { ready: true, restartCount: 3 }] } }),
      ['test4', '1/2', 'podPhase', '6', '<unknown>'],
    ],
    [
      'Test ready is not enough for reporting running (status.reason wins over the phase)',
      podOf({
        name: 'test5',
        containers: unnamed(2),
        status: { reason: 'podReason', phase: 'podPhase', containerStatuses: [{ ready: true, restartCount: 3, state: running }, { ready: true, restartCount: 3 }] },
      }),
      ['test5', '1/2', 'podReason', '6', '<unknown>'],
    ],
    [
      'Test pod has 2 containers, one is running and the other is completed, w/o ready condition',
      podOf({
        name: 'test6',
        containers: unnamed(2),
        status: {
          phase: 'Running',
          reason: '',
          containerStatuses: [
            { ready: true, restartCount: 3, state: terminated({ reason: 'Completed', exitCode: 0 }) },
            { ready: true, restartCount: 3, state: running },
          ],
        },
      }),
      ['test6', '1/2', 'NotReady', '6', '<unknown>'],
    ],
    [
      'Test pod has 2 containers, one is running and the other is completed, with ready condition',
      podOf({
        name: 'test6',
        containers: unnamed(2),
        status: {
          phase: 'Running',
          reason: '',
          containerStatuses: [
            { ready: true, restartCount: 3, state: terminated({ reason: 'Completed', exitCode: 0 }) },
            { ready: true, restartCount: 3, state: running },
          ],
          conditions: [{ type: 'Ready', status: 'True', lastProbeTime: ago(0) }],
        },
      }),
      ['test6', '1/2', 'Running', '6', '<unknown>'],
    ],
    [
      'Test pod has 1 init container restarting and 1 container not running',
      podOf({
        name: 'test7',
        initContainers: unnamed(1),
        containers: unnamed(1),
        status: {
          phase: 'podPhase',
          initContainerStatuses: [{ ready: false, restartCount: 3, state: running, lastState: lastFinished(10) }],
          containerStatuses: [{ ready: false, restartCount: 0, state: waiting() }],
        },
      }),
      ['test7', '0/1', 'Init:0/1', '3 (10s ago)', '<unknown>'],
    ],
    [
      'Test pod has 2 init containers, one restarting and the other not running, and 1 container not running',
      podOf({
        name: 'test8',
        initContainers: unnamed(2),
        containers: unnamed(1),
        status: {
          phase: 'podPhase',
          initContainerStatuses: [{ ready: false, restartCount: 3, state: running, lastState: lastFinished(10) }, { ready: false, state: waiting() }],
          containerStatuses: [{ ready: false, state: waiting() }],
        },
      }),
      ['test8', '0/1', 'Init:0/2', '3 (10s ago)', '<unknown>'],
    ],
    [
      'Test pod has 2 init containers, one completed without restarts and the other restarting, and 1 container not running',
      podOf({
        name: 'test9',
        initContainers: unnamed(2),
        containers: unnamed(1),
        status: {
          phase: 'podPhase',
          initContainerStatuses: [{ ready: false, state: terminated() }, { ready: false, restartCount: 3, state: running, lastState: lastFinished(10) }],
          containerStatuses: [{ ready: false, state: waiting() }],
        },
      }),
      ['test9', '0/1', 'Init:1/2', '3 (10s ago)', '<unknown>'],
    ],
    [
      'Test pod has 2 init containers, one completed with restarts and the other restarting, and 1 container not running',
      podOf({
        name: 'test10',
        initContainers: unnamed(2),
        containers: unnamed(1),
        status: {
          phase: 'podPhase',
          initContainerStatuses: [
            { ready: false, restartCount: 2, state: terminated(), lastState: lastFinished(2 * 60) },
            { ready: false, restartCount: 3, state: running, lastState: lastFinished(10) },
          ],
          containerStatuses: [{ ready: false, state: waiting() }],
        },
      }),
      ['test10', '0/1', 'Init:1/2', '5 (10s ago)', '<unknown>'],
    ],
    [
      'Test pod has 1 init container completed with restarts and one container restarting',
      podOf({
        name: 'test11',
        initContainers: unnamed(1),
        containers: unnamed(1),
        status: {
          phase: 'Running',
          initContainerStatuses: [{ ready: false, restartCount: 2, state: terminated(), lastState: lastFinished(2 * 60) }],
          containerStatuses: [{ ready: false, restartCount: 4, state: running, lastState: lastFinished(20) }],
        },
      }),
      ['test11', '0/1', 'Running', '4 (20s ago)', '<unknown>'],
    ],
    [
      'Test pod has 1 container that restarted 5d ago',
      podOf({ name: 'test12', containers: unnamed(1), status: { phase: 'Running', containerStatuses: [{ ready: true, restartCount: 3, state: running, lastState: lastFinished(5 * 86400) }] } }),
      ['test12', '1/1', 'Running', '3 (5d ago)', '<unknown>'],
    ],
    [
      'Test pod has 2 containers, one has never restarted and the other has restarted 10d ago',
      podOf({
        name: 'test13',
        containers: unnamed(2),
        status: {
          phase: 'Running',
          containerStatuses: [
            { ready: true, restartCount: 0, state: running },
            { ready: true, restartCount: 3, state: running, lastState: lastFinished(10 * 86400) },
          ],
        },
      }),
      ['test13', '2/2', 'Running', '3 (10d ago)', '<unknown>'],
    ],
    [
      'Test pod has 2 containers, one restarted 5d ago and the other restarted 20d ago',
      podOf({
        name: 'test14',
        containers: unnamed(2),
        status: {
          phase: 'Running',
          containerStatuses: [
            { ready: true, restartCount: 6, state: running, lastState: lastFinished(5 * 86400) },
            { ready: true, restartCount: 3, state: running, lastState: lastFinished(20 * 86400) },
          ],
        },
      }),
      ['test14', '2/2', 'Running', '9 (5d ago)', '<unknown>'],
    ],
    [
      'Test PodScheduled condition with reason SchedulingGated',
      podOf({ name: 'test15', containers: unnamed(2), status: { phase: 'podPhase', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] } }),
      ['test15', '0/2', 'SchedulingGated', '0', '<unknown>'],
    ],
    [
      'Test pod condition succeed',
      podOf({ name: 'test16', containers: unnamed(1), status: { phase: 'Succeeded', containerStatuses: [{ ready: false, restartCount: 0, state: terminated({ reason: 'Completed', exitCode: 0 }) }] } }),
      ['test16', '0/1', 'Completed', '0', '<unknown>'],
    ],
    [
      'Test pod condition failed',
      podOf({ name: 'test17', containers: unnamed(1), status: { phase: 'Failed', containerStatuses: [{ ready: false, restartCount: 0, state: terminated({ reason: 'Error', exitCode: 1 }) }] } }),
      ['test17', '0/1', 'Error', '0', '<unknown>'],
    ],
    [
      'Test pod condition succeed with deletion',
      podOf({
        name: 'test18',
        deleted: true,
        containers: unnamed(1),
        status: { phase: 'Succeeded', containerStatuses: [{ ready: false, restartCount: 0, state: terminated({ reason: 'Completed', exitCode: 0 }) }] },
      }),
      ['test18', '0/1', 'Completed', '0', '<unknown>'],
    ],
    [
      'Test pod condition running with deletion',
      podOf({ name: 'test19', deleted: true, containers: unnamed(1), status: { phase: 'Running', containerStatuses: [{ ready: false, restartCount: 0, state: running }] } }),
      ['test19', '0/1', 'Terminating', '0', '<unknown>'],
    ],
    [
      'Test pod condition pending with deletion',
      podOf({ name: 'test20', deleted: true, containers: unnamed(1), status: { phase: 'Pending' } }),
      ['test20', '0/1', 'Terminating', '0', '<unknown>'],
    ],
  ];
  for (const [name, pod, expected] of cases) {
    it(name, () => {
      // Columns: Name, Ready, Status, Restarts, Age
      assert.deepEqual(cells(pod), expected);
    });
  }
});

describe('printPod: printers_test.go TestPrintPodWithRestartableInitContainer', () => {
  const sidecars = [
    { name: 'restartable-init-1', restartPolicy: 'Always' },
    { name: 'restartable-init-2', restartPolicy: 'Always' },
  ];
  const cases: [string, Pod, string[]][] = [
    [
      'Test pod has 2 restartable init containers, the first one running but not started.',
      podOf({
        name: 'test1',
        initContainers: sidecars,
        containers: unnamed(1),
        status: {
          phase: 'Pending',
          initContainerStatuses: [
            { name: 'restartable-init-1', ready: false, restartCount: 3, state: running, started: false, lastState: lastFinished(10) },
            { name: 'restartable-init-2', ready: false, state: waiting(), started: false },
          ],
          containerStatuses: [{ ready: false, restartCount: 0, state: waiting() }],
          conditions: [{ type: 'Initialized', status: 'False' }],
        },
      }),
      ['test1', '0/3', 'Init:0/2', '3 (10s ago)', '<unknown>'],
    ],
    [
      'Test pod has 2 restartable init containers, the first one started and the second one running but not started.',
      podOf({
        name: 'test1',
        initContainers: sidecars,
        containers: unnamed(1),
        status: {
          phase: 'Pending',
          initContainerStatuses: [
            { name: 'restartable-init-1', ready: false, restartCount: 3, state: running, started: true, lastState: lastFinished(10) },
            { name: 'restartable-init-2', ready: false, state: running, started: false },
          ],
          containerStatuses: [{ ready: false, restartCount: 0, state: waiting() }],
          conditions: [{ type: 'Initialized', status: 'False' }],
        },
      }),
      ['test1', '0/3', 'Init:1/2', '3 (10s ago)', '<unknown>'],
    ],
    [
      'Test pod has 2 restartable init containers started and 1 container running',
      podOf({
        name: 'test2',
        initContainers: sidecars,
        containers: unnamed(1),
        status: {
          phase: 'Running',
          initContainerStatuses: [
            { name: 'restartable-init-1', ready: false, restartCount: 3, state: running, started: true, lastState: lastFinished(10) },
            { name: 'restartable-init-2', ready: false, state: running, started: true },
          ],
          containerStatuses: [{ ready: true, restartCount: 4, state: running, lastState: lastFinished(20) }],
          conditions: [{ type: 'Initialized', status: 'True' }],
        },
      }),
      ['test2', '1/3', 'Running', '7 (10s ago)', '<unknown>'],
    ],
    [
      'Test pod has 2 restartable init containers completed with non-zero and 1 container completed',
      podOf({
        name: 'test3',
        initContainers: sidecars,
        containers: unnamed(1),
        status: {
          phase: 'Succeeded',
          initContainerStatuses: [
            { name: 'restartable-init-1', ready: false, restartCount: 3, state: terminated({ reason: 'Error', exitCode: 137 }), started: false, lastState: lastFinished(10) },
            { name: 'restartable-init-2', ready: false, state: terminated({ reason: 'Error', exitCode: 137 }), started: false },
          ],
          containerStatuses: [{ ready: false, restartCount: 4, state: terminated({ reason: 'Completed', exitCode: 0 }), lastState: lastFinished(20) }],
          conditions: [{ type: 'Initialized', status: 'True' }],
        },
      }),
      ['test3', '0/3', 'Completed', '7 (10s ago)', '<unknown>'],
    ],
    [
      'Test pod has container statuses for non-existent initContainers and containers',
      podOf({
        name: 'test4',
        initContainers: [
          { name: 'init1', image: 'initimage' },
          { name: 'sidecar1', image: 'sidecarimage', restartPolicy: 'Always' },
        ],
        containers: [{ name: 'container1', image: 'containerimage' }],
        status: {
          phase: 'Running',
          initContainerStatuses: [{ name: 'initinvalid' }, { name: 'init1' }, { name: 'sidecar1' }],
          containerStatuses: [{ name: 'containerinvalid' }, { name: 'container1' }],
        },
      }),
      ['test4', '0/2', 'Init:0/2', '0', '<unknown>'],
    ],
  ];
  for (const [name, pod, expected] of cases) {
    it(name, () => {
      // Columns: Name, Ready, Status, Restarts, Age
      assert.deepEqual(cells(pod), expected);
    });
  }
});

describe('printPod: printers_test.go TestPrintPodwide (every column, as -o wide shows them)', () => {
  const gates = ['condition1', 'condition2', 'condition3'];
  const gateConditions = [
    { type: 'condition1', status: 'False' },
    { type: 'condition2', status: 'True' },
  ];
  const cases: [string, Pod, string[]][] = [
    [
      'Test when the NodeName and PodIP are not none',
      podOf({
        name: 'test1',
        containers: unnamed(2),
        nodeName: 'test1',
        readinessGates: gates,
        status: {
          conditions: gateConditions,
          phase: 'podPhase',
          podIPs: [{ ip: '1.1.1.1' }],
          containerStatuses: [{ ready: true, restartCount: 3, state: running }, { restartCount: 3 }],
          nominatedNodeName: 'node1',
        },
      }),
      ['test1', '1/2', 'podPhase', '6', '<unknown>', '1.1.1.1', 'test1', 'node1', '1/3'],
    ],
    [
      'Test when the NodeName and PodIP are not none (dual-stack: the first pod IP)',
      podOf({
        name: 'test1',
        containers: unnamed(2),
        nodeName: 'test1',
        readinessGates: gates,
        status: {
          conditions: gateConditions,
          phase: 'podPhase',
          podIPs: [{ ip: '1.1.1.1' }, { ip: '2001:db8::' }],
          containerStatuses: [{ ready: true, restartCount: 3, state: running }, { restartCount: 3 }],
          nominatedNodeName: 'node1',
        },
      }),
      ['test1', '1/2', 'podPhase', '6', '<unknown>', '1.1.1.1', 'test1', 'node1', '1/3'],
    ],
    [
      'Test when the NodeName and PodIP are none',
      podOf({
        name: 'test2',
        containers: unnamed(2),
        nodeName: '',
        status: { phase: 'podPhase', containerStatuses: [{ ready: true, restartCount: 3, state: running }, { state: waiting('ContainerWaitingReason'), restartCount: 3 }] },
      }),
      ['test2', '1/2', 'ContainerWaitingReason', '6', '<unknown>', '<none>', '<none>', '<none>', '<none>'],
    ],
  ];
  for (const [name, pod, expected] of cases) {
    it(name, () => {
      // Columns: Name, Ready, Status, Restarts, Age, IP, Node, Nominated Node, Readiness Gates
      assert.deepEqual(printPod(pod, NOW), expected);
    });
  }
});

describe('printPod: printers_test.go TestPrintPodConditions, TestPrintPodList, TestPrintNonTerminatedPod', () => {
  const statuses = [{ ready: true, restartCount: 3, state: running }, { restartCount: 3 }];
  const runningPod = podOf({ name: 'test1', labels: { a: '1', b: '2' }, containers: unnamed(2), status: { phase: 'Running', containerStatuses: statuses } });
  const succeededPod = podOf({ name: 'test1', labels: { a: '1', b: '2' }, containers: unnamed(2), status: { phase: 'Succeeded', containerStatuses: statuses } });
  const failedPod = podOf({ name: 'test2', labels: { b: '2' }, containers: unnamed(2), status: { phase: 'Failed', containerStatuses: statuses } });
  const conditionCases: [string, Pod, string[]][] = [
    ['Should not have TableRowCondition', runningPod, ['test1', '1/2', 'Running', '6', '<unknown>']],
    ['Should have TableRowCondition: podSuccessConditions', succeededPod, ['test1', '1/2', 'Succeeded', '6', '<unknown>']],
    ['Should have TableRowCondition: podFailedCondition', failedPod, ['test2', '1/2', 'Failed', '6', '<unknown>']],
  ];
  for (const [name, pod, expected] of conditionCases) {
    it(`TestPrintPodConditions: ${name} (the row's cells)`, () => {
      // Columns: Name, Ready, Reason, Restarts, Age
      assert.deepEqual(cells(pod), expected);
    });
  }

  it("TestPrintPodList: Test podList's pod: name, num of containers, restarts, container ready status", () => {
    const list = [
      podOf({
        name: 'test1',
        containers: unnamed(2),
        status: {
          phase: 'podPhase',
          containerStatuses: [
            { ready: true, restartCount: 3, state: running },
            { ready: true, restartCount: 3, state: running },
          ],
        },
      }),
      podOf({ name: 'test2', containers: unnamed(1), status: { phase: 'podPhase', containerStatuses: [{ ready: true, restartCount: 1, state: running }] } }),
    ];
    assert.deepEqual(list.map(cells), [
      ['test1', '2/2', 'podPhase', '6', '<unknown>'],
      ['test2', '1/1', 'podPhase', '1', '<unknown>'],
    ]);
  });

  const nonTerminated: [string, string, object[], string[]][] = [
    ['Test pod phase Running should be printed', 'Running', statuses, ['test1', '1/2', 'Running', '6', '<unknown>']],
    ['Test pod phase Pending should be printed', 'Pending', statuses, ['test2', '1/2', 'Pending', '6', '<unknown>']],
    ['Test pod phase Unknown should be printed', 'Unknown', statuses, ['test3', '1/2', 'Unknown', '6', '<unknown>']],
    ['Test pod phase Succeeded should be printed', 'Succeeded', statuses, ['test4', '1/2', 'Succeeded', '6', '<unknown>']],
    [
      "Test pod phase Failed shouldn't be printed (printPod still prints it)",
      'Failed',
      [{ ready: true, restartCount: 3, state: running }, { ready: true, restartCount: 3 }],
      ['test5', '1/2', 'Failed', '6', '<unknown>'],
    ],
  ];
  for (const [name, phase, containerStatuses, expected] of nonTerminated) {
    it(`TestPrintNonTerminatedPod: ${name}`, () => {
      // Columns: Name, Ready, Reason, Restarts, Age
      assert.deepEqual(cells(podOf({ name: expected[0], containers: unnamed(2), status: { phase, containerStatuses } })), expected);
    });
  }

  it('TestTableRowDeepCopyShouldNotPanic: an empty Pod still gives a row', () => {
    assert.equal(printPod(wire<Pod>({}), NOW).length, 9);
  });
});

// Not in kubectl's tests: cases read off printPod in printers.go.
describe('printPod: branches of printers.go printPod without an upstream test', () => {
  const one = (status: object, extra: Partial<PodCase> = {}) => podOf({ name: 'p', containers: unnamed(1), ...extra, status });

  it('shows Init:ExitCode:N and Init:Signal:N for a failed init container without a reason, Init:<reason> for a waiting one', () => {
    const init = { initContainers: unnamed(1) };
    assert.equal(cells(one({ phase: 'Pending', initContainerStatuses: [{ state: terminated({ exitCode: 2 }) }] }, init))[2], 'Init:ExitCode:2');
    assert.equal(cells(one({ phase: 'Pending', initContainerStatuses: [{ state: { terminated: { exitCode: 137, signal: 9 } } }] }, init))[2], 'Init:Signal:9');
    assert.equal(cells(one({ phase: 'Pending', initContainerStatuses: [{ state: waiting('ErrImagePull') }] }, init))[2], 'Init:ErrImagePull');
    // PodInitializing is not a reason to show: the init containers are counted instead.
    assert.equal(cells(one({ phase: 'Pending', initContainerStatuses: [{ state: waiting('PodInitializing') }] }, init))[2], 'Init:0/1');
  });

  it('shows ExitCode:N and Signal:N for a container that ended without a reason', () => {
    assert.equal(cells(one({ phase: 'Running', containerStatuses: [{ state: terminated({ exitCode: 3 }) }] }))[2], 'ExitCode:3');
    assert.equal(cells(one({ phase: 'Running', containerStatuses: [{ state: { terminated: { exitCode: 0, signal: 15 } } }] }))[2], 'Signal:15');
  });

  it('says Unknown for a deleted pod whose reason is NodeLost (node.NodeUnreachablePodReason)', () => {
    assert.equal(cells(one({ phase: 'Running', reason: 'NodeLost' }, { deleted: true }))[2], 'Unknown');
  });

  it('counts a readiness gate by the first condition of its type only', () => {
    const pod = one({ conditions: [{ type: 'example.com/a', status: 'True' }, { type: 'example.com/b', status: 'False' }, { type: 'example.com/b', status: 'True' }] }, {
      readinessGates: ['example.com/a', 'example.com/b', 'example.com/c'],
    });
    assert.equal(readinessGates(pod), '1/3');
  });

  it('falls back to status.podIP when podIPs is absent (the v1 conversion fills podIPs from it)', () => {
    assert.equal(printPod(one({ phase: 'Running', podIP: '10.254.5.61' }), NOW)[5], '10.254.5.61');
  });

  it('prints the age of the pod', () => {
    const pod = one({ phase: 'Running' });
    pod.metadata!.creationTimestamp = ago(50 * 60);
    assert.equal(printPod(pod, NOW)[4], '50m');
  });
});
