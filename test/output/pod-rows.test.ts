import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from '../../src/cluster/types.js';
import { printPod, readinessGates } from '../../src/output/pod-rows.js';
import { NOW, ago } from '../helpers/objects.js';

// Cases ported from kubernetes' pkg/printers/internalversion/printers_test.go TestPrintPod and
// TestPrintPodWithRestartableInitContainer (no creation time: AGE is <unknown>).
type Status = NonNullable<Pod['status']>;
const unnamed = (n: number) => Array.from({ length: n }, () => ({ name: '' }));
const podOf = (name: string, containers: number, status: object, extra: { initContainers?: object[]; deleted?: boolean } = {}): Pod =>
  ({
    metadata: { name, ...(extra.deleted ? { deletionTimestamp: ago(10) } : {}) },
    spec: { containers: unnamed(containers), ...(extra.initContainers ? { initContainers: extra.initContainers } : {}) },
    status: status as Status,
  }) as Pod;
const running = { running: {} };
const finished = (seconds: number) => ({ terminated: { exitCode: 0, finishedAt: ago(seconds) } });
const cells = (pod: Pod) => printPod(pod, NOW).slice(0, 5);

describe('printPod: READY, STATUS, RESTARTS', () => {
  const cases: [string, Pod, string[]][] = [
    [
      'counts ready running containers and sums restarts',
      podOf('test1', 2, { phase: 'podPhase', containerStatuses: [{ ready: true, restartCount: 3, state: running }, { restartCount: 3 }] }),
      ['test1', '1/2', 'podPhase', '6', '<unknown>'],
    ],
    [
      'lets a waiting container reason override the phase',
      podOf('test2', 2, {
        phase: 'podPhase',
        containerStatuses: [{ ready: true, restartCount: 3, state: running }, { state: { waiting: { reason: 'ContainerWaitingReason' } }, restartCount: 3 }],
      }),
      ['test2', '1/2', 'ContainerWaitingReason', '6', '<unknown>'],
    ],
    [
      'takes the first container reason (containers are read last to first)',
      podOf('test3', 2, {
        phase: 'podPhase',
        containerStatuses: [
          { state: { waiting: { reason: 'ContainerWaitingReason' } }, restartCount: 3 },
          { state: { terminated: { reason: 'ContainerTerminatedReason' } }, restartCount: 3 },
        ],
      }),
      ['test3', '0/2', 'ContainerWaitingReason', '6', '<unknown>'],
    ],
    [
      'does not count a ready container that is not running',
      podOf('test4', 2, { phase: 'podPhase', containerStatuses: [{ ready: true, restartCount: 3, state: running }, { ready: true, restartCount: 3 }] }),
      ['test4', '1/2', 'podPhase', '6', '<unknown>'],
    ],
    [
      'prefers status.reason to the phase',
      podOf('test5', 2, { reason: 'podReason', phase: 'podPhase', containerStatuses: [{ ready: true, restartCount: 3, state: running }, { ready: true, restartCount: 3 }] }),
      ['test5', '1/2', 'podReason', '6', '<unknown>'],
    ],
    [
      'says NotReady when a container completed and another runs without the Ready condition',
      podOf('test6', 2, {
        phase: 'Running',
        containerStatuses: [{ ready: true, restartCount: 3, state: { terminated: { reason: 'Completed', exitCode: 0 } } }, { ready: true, restartCount: 3, state: running }],
      }),
      ['test6', '1/2', 'NotReady', '6', '<unknown>'],
    ],
    [
      'says Running when a container completed and another runs with the Ready condition',
      podOf('test6', 2, {
        phase: 'Running',
        containerStatuses: [{ ready: true, restartCount: 3, state: { terminated: { reason: 'Completed', exitCode: 0 } } }, { ready: true, restartCount: 3, state: running }],
        conditions: [{ type: 'Ready', status: 'True' }],
      }),
      ['test6', '1/2', 'Running', '6', '<unknown>'],
    ],
    [
      'shows Init:i/n and the init restarts with the last restart age',
      podOf(
        'test7',
        1,
        {
          phase: 'podPhase',
          initContainerStatuses: [{ ready: false, restartCount: 3, state: running, lastState: finished(10) }],
          containerStatuses: [{ ready: false, restartCount: 0, state: { waiting: {} } }],
        },
        { initContainers: unnamed(1) },
      ),
      ['test7', '0/1', 'Init:0/1', '3 (10s ago)', '<unknown>'],
    ],
    [
      'counts init containers, not the ones still waiting',
      podOf(
        'test8',
        1,
        {
          phase: 'podPhase',
          initContainerStatuses: [{ ready: false, restartCount: 3, state: running, lastState: finished(10) }, { ready: false, state: { waiting: {} } }],
          containerStatuses: [{ ready: false, state: { waiting: {} } }],
        },
        { initContainers: unnamed(2) },
      ),
      ['test8', '0/1', 'Init:0/2', '3 (10s ago)', '<unknown>'],
    ],
    [
      'skips init containers that exited 0',
      podOf(
        'test9',
        1,
        {
          phase: 'podPhase',
          initContainerStatuses: [{ ready: false, state: { terminated: { exitCode: 0 } } }, { ready: false, restartCount: 3, state: running, lastState: finished(10) }],
          containerStatuses: [{ ready: false, state: { waiting: {} } }],
        },
        { initContainers: unnamed(2) },
      ),
      ['test9', '0/1', 'Init:1/2', '3 (10s ago)', '<unknown>'],
    ],
    [
      'adds the restarts of every init container and keeps the latest restart time',
      podOf(
        'test10',
        1,
        {
          phase: 'podPhase',
          initContainerStatuses: [
            { ready: false, restartCount: 2, state: { terminated: { exitCode: 0 } }, lastState: finished(120) },
            { ready: false, restartCount: 3, state: running, lastState: finished(10) },
          ],
          containerStatuses: [{ ready: false, state: { waiting: {} } }],
        },
        { initContainers: unnamed(2) },
      ),
      ['test10', '0/1', 'Init:1/2', '5 (10s ago)', '<unknown>'],
    ],
    [
      'once initialized, counts only the regular containers restarts',
      podOf(
        'test11',
        1,
        {
          phase: 'Running',
          initContainerStatuses: [{ ready: false, restartCount: 2, state: { terminated: { exitCode: 0 } }, lastState: finished(120) }],
          containerStatuses: [{ ready: false, restartCount: 4, state: running, lastState: finished(20) }],
        },
        { initContainers: unnamed(1) },
      ),
      ['test11', '0/1', 'Running', '4 (20s ago)', '<unknown>'],
    ],
    [
      'prints a restart 5 days ago as (5d ago)',
      podOf('test12', 1, { phase: 'Running', containerStatuses: [{ ready: true, restartCount: 3, state: running, lastState: finished(5 * 86400) }] }),
      ['test12', '1/1', 'Running', '3 (5d ago)', '<unknown>'],
    ],
    [
      'keeps the most recent of several restart times',
      podOf('test14', 2, {
        phase: 'Running',
        containerStatuses: [
          { ready: true, restartCount: 6, state: running, lastState: finished(5 * 86400) },
          { ready: true, restartCount: 3, state: running, lastState: finished(20 * 86400) },
        ],
      }),
      ['test14', '2/2', 'Running', '9 (5d ago)', '<unknown>'],
    ],
    [
      'says SchedulingGated when the PodScheduled condition says so',
      podOf('test15', 2, { phase: 'podPhase', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }),
      ['test15', '0/2', 'SchedulingGated', '0', '<unknown>'],
    ],
    [
      'shows the terminated reason of a succeeded pod',
      podOf('test16', 1, { phase: 'Succeeded', containerStatuses: [{ ready: false, restartCount: 0, state: { terminated: { reason: 'Completed', exitCode: 0 } } }] }),
      ['test16', '0/1', 'Completed', '0', '<unknown>'],
    ],
    [
      'shows the terminated reason of a failed pod',
      podOf('test17', 1, { phase: 'Failed', containerStatuses: [{ ready: false, restartCount: 0, state: { terminated: { reason: 'Error', exitCode: 1 } } }] }),
      ['test17', '0/1', 'Error', '0', '<unknown>'],
    ],
    [
      'does not call a deleted pod in a terminal phase Terminating',
      podOf('test18', 1, { phase: 'Succeeded', containerStatuses: [{ ready: false, restartCount: 0, state: { terminated: { reason: 'Completed', exitCode: 0 } } }] }, { deleted: true }),
      ['test18', '0/1', 'Completed', '0', '<unknown>'],
    ],
    [
      'calls a deleted running pod Terminating',
      podOf('test19', 1, { phase: 'Running', containerStatuses: [{ ready: false, restartCount: 0, state: running }] }, { deleted: true }),
      ['test19', '0/1', 'Terminating', '0', '<unknown>'],
    ],
    ['calls a deleted pending pod Terminating', podOf('test20', 1, { phase: 'Pending' }, { deleted: true }), ['test20', '0/1', 'Terminating', '0', '<unknown>']],
    [
      'counts restartable init containers (sidecars) in the total',
      podOf(
        'test1',
        1,
        {
          phase: 'Pending',
          initContainerStatuses: [
            { name: 'restartable-init-1', ready: false, restartCount: 3, state: running, started: false, lastState: finished(10) },
            { name: 'restartable-init-2', ready: false, state: { waiting: {} }, started: false },
          ],
          containerStatuses: [{ ready: false, restartCount: 0, state: { waiting: {} } }],
          conditions: [{ type: 'Initialized', status: 'False' }],
        },
        {
          initContainers: [
            { name: 'restartable-init-1', restartPolicy: 'Always' },
            { name: 'restartable-init-2', restartPolicy: 'Always' },
          ],
        },
      ),
      ['test1', '0/3', 'Init:0/2', '3 (10s ago)', '<unknown>'],
    ],
  ];
  for (const [name, pod, expected] of cases) {
    it(name, () => {
      // Columns: Name, Ready, Status, Restarts, Age
      assert.deepEqual(cells(pod), expected);
    });
  }

  it('shows Init:ExitCode:N and Init:Signal:N for a failed init container without a reason', () => {
    const exit = podOf('a', 1, { phase: 'Pending', initContainerStatuses: [{ state: { terminated: { exitCode: 2 } } }] }, { initContainers: unnamed(1) });
    const signal = podOf('b', 1, { phase: 'Pending', initContainerStatuses: [{ state: { terminated: { exitCode: 137, signal: 9 } } }] }, { initContainers: unnamed(1) });
    const reason = podOf('c', 1, { phase: 'Pending', initContainerStatuses: [{ state: { waiting: { reason: 'ErrImagePull' } } }] }, { initContainers: unnamed(1) });
    assert.equal(cells(exit)[2], 'Init:ExitCode:2');
    assert.equal(cells(signal)[2], 'Init:Signal:9');
    assert.equal(cells(reason)[2], 'Init:ErrImagePull');
  });

  it('shows ExitCode:N and Signal:N for a container that ended without a reason', () => {
    assert.equal(cells(podOf('a', 1, { phase: 'Running', containerStatuses: [{ state: { terminated: { exitCode: 3 } } }] }))[2], 'ExitCode:3');
    assert.equal(cells(podOf('b', 1, { phase: 'Running', containerStatuses: [{ state: { terminated: { exitCode: 0, signal: 15 } } }] }))[2], 'Signal:15');
  });

  it('says Unknown for a deleted pod on a lost node', () => {
    assert.equal(cells(podOf('a', 1, { phase: 'Running', reason: 'NodeLost' }, { deleted: true }))[2], 'Unknown');
  });
});

describe('printPod: wide columns', () => {
  it('shows <none> for a pod without IP, node or nominated node, and no readiness gates', () => {
    // Columns: IP, Node, Nominated Node, Readiness Gates
    assert.deepEqual(printPod(podOf('p', 1, { phase: 'Pending' }), NOW).slice(5), ['<none>', '<none>', '<none>', '<none>']);
  });

  it('shows the first pod IP, the node and the nominated node', () => {
    const pod = podOf('p', 1, { phase: 'Running', podIPs: [{ ip: '10.0.0.1' }, { ip: 'fd00::1' }], nominatedNodeName: 'node2' });
    pod.spec!.nodeName = 'node1';
    assert.deepEqual(printPod(pod, NOW).slice(5, 8), ['10.0.0.1', 'node1', 'node2']);
  });

  it('falls back to status.podIP for objects written before podIPs existed', () => {
    assert.equal(printPod(podOf('p', 1, { phase: 'Running', podIP: '10.254.5.61' }), NOW)[5], '10.254.5.61');
  });

  it('counts readiness gates whose condition is True', () => {
    const pod = podOf('p', 1, { conditions: [{ type: 'example.com/a', status: 'True' }, { type: 'example.com/b', status: 'False' }] });
    pod.spec!.readinessGates = [{ conditionType: 'example.com/a' }, { conditionType: 'example.com/b' }, { conditionType: 'example.com/c' }];
    assert.equal(readinessGates(pod), '1/3');
  });

  it('prints the age of the pod', () => {
    const pod = podOf('p', 1, { phase: 'Running' });
    pod.metadata!.creationTimestamp = ago(50 * 60);
    assert.equal(printPod(pod, NOW)[4], '50m');
  });
});
