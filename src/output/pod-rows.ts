// `get pods`: printers.go's podColumnDefinitions and printPod, whose STATUS is not a
// field but a small algorithm over phase, conditions and container states.
import type { Pod } from '../cluster/types.js';
import { parseTimestamp, translateTimestampSince } from './duration.js';
import type { ColumnDefinition } from './table.js';

export const podColumns: readonly ColumnDefinition[] = [
  { name: 'Name' },
  { name: 'Ready' },
  { name: 'Status' },
  { name: 'Restarts' },
  { name: 'Age' },
  { name: 'IP', priority: 1 },
  { name: 'Node', priority: 1 },
  { name: 'Nominated Node', priority: 1 },
  { name: 'Readiness Gates', priority: 1 },
];

type PodSpec = NonNullable<Pod['spec']>;
type Container = PodSpec['containers'][number];
type ContainerStatus = NonNullable<NonNullable<Pod['status']>['containerStatuses']>[number];

/** A sidecar: an init container that keeps running (restartPolicy: Always). */
const isRestartableInit = (c: Container | undefined) => c?.restartPolicy === 'Always';

/** The reason kubelet sets on pods of an unreachable node (pkg/util/node NodeUnreachablePodReason). */
const NODE_LOST = 'NodeLost';

const conditionTrue = (pod: Pod, type: string) =>
  (pod.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');

/** The newer of a running "last restart" time and a container's last termination. */
function laterFinish(current: number | undefined, status: ContainerStatus): number | undefined {
  const finished = parseTimestamp(status.lastState?.terminated?.finishedAt);
  if (finished === undefined) return current;
  return current === undefined || finished > current ? finished : current;
}

export interface PodSummary {
  ready: number;
  total: number;
  /** The STATUS column: Running, Pending, CrashLoopBackOff, Init:0/1, Terminating, ... */
  reason: string;
  restarts: number;
  /** When the most recent restart ended (ms since epoch), if known. */
  lastRestart?: number;
}

/** printPod's READY/STATUS/RESTARTS computation, shared by `get pods` and describe's pod list. */
export function summarizePod(pod: Pod): PodSummary {
  const spec = pod.spec;
  const status = pod.status ?? {};
  let restarts = 0;
  let restartableInitRestarts = 0;
  let total = spec?.containers?.length ?? 0;
  let ready = 0;
  let lastRestart: number | undefined;
  let lastRestartableInitRestart: number | undefined;

  const phase = status.phase ?? '';
  let reason = status.reason || phase;
  for (const c of status.conditions ?? []) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }

  const initContainers = new Map<string, Container>();
  for (const c of spec?.initContainers ?? []) {
    initContainers.set(c.name, c);
    if (isRestartableInit(c)) total++;
  }

  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const container = initStatuses[i]!;
    restarts += container.restartCount ?? 0;
    lastRestart = laterFinish(lastRestart, container);
    const restartable = isRestartableInit(initContainers.get(container.name));
    if (restartable) {
      restartableInitRestarts += container.restartCount ?? 0;
      lastRestartableInitRestart = laterFinish(lastRestartableInitRestart, container);
    }
    const terminated = container.state?.terminated;
    const waiting = container.state?.waiting;
    if (terminated && terminated.exitCode === 0) continue;
    if (restartable && container.started) {
      if (container.ready) ready++;
      continue;
    }
    if (terminated) {
      // Initialization failed.
      if (!terminated.reason) {
        reason = terminated.signal ? `Init:Signal:${terminated.signal}` : `Init:ExitCode:${terminated.exitCode}`;
      } else {
        reason = `Init:${terminated.reason}`;
      }
    } else if (waiting && waiting.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${spec?.initContainers?.length ?? 0}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || conditionTrue(pod, 'Initialized')) {
    restarts = restartableInitRestarts;
    lastRestart = lastRestartableInitRestart;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const container = statuses[i]!;
      restarts += container.restartCount ?? 0;
      lastRestart = laterFinish(lastRestart, container);
      const { waiting, terminated, running } = container.state ?? {};
      if (waiting && waiting.reason) {
        reason = waiting.reason;
      } else if (terminated && terminated.reason) {
        reason = terminated.reason;
      } else if (terminated) {
        reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode}`;
      } else if (container.ready && running) {
        hasRunning = true;
        ready++;
      }
    }
    // A completed container with another still running: the pod is still running.
    if (reason === 'Completed' && hasRunning) reason = conditionTrue(pod, 'Ready') ? 'Running' : 'NotReady';
  }

  if (pod.metadata?.deletionTimestamp && status.reason === NODE_LOST) {
    reason = 'Unknown';
  } else if (pod.metadata?.deletionTimestamp && phase !== 'Failed' && phase !== 'Succeeded') {
    reason = 'Terminating';
  }
  return { ready, total, reason, restarts, lastRestart };
}

/** "N", or "N (AGE ago)" when the last restart's end is known. */
export function formatRestarts(summary: PodSummary, now: Date): string {
  if (summary.restarts !== 0 && summary.lastRestart !== undefined) {
    return `${summary.restarts} (${translateTimestampSince(new Date(summary.lastRestart).toISOString(), now)} ago)`;
  }
  return String(summary.restarts);
}

/** The pod's first IP, or "<none>". */
export const podIP = (pod: Pod): string => pod.status?.podIPs?.[0]?.ip || pod.status?.podIP || '<none>';

/** READINESS GATES: "<none>", else how many gate conditions are True over how many gates. */
export function readinessGates(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  const conditions = pod.status?.conditions ?? [];
  const trueCount = gates.filter((g) => conditions.find((c) => c.type === g.conditionType)?.status === 'True').length;
  return `${trueCount}/${gates.length}`;
}

/** printPod: Name, Ready, Status, Restarts, Age, IP, Node, Nominated Node, Readiness Gates. */
export function printPod(pod: Pod, now: Date): string[] {
  const s = summarizePod(pod);
  return [
    pod.metadata?.name ?? '',
    `${s.ready}/${s.total}`,
    s.reason,
    formatRestarts(s, now),
    translateTimestampSince(pod.metadata?.creationTimestamp, now),
    podIP(pod),
    pod.spec?.nodeName || '<none>',
    pod.status?.nominatedNodeName || '<none>',
    readinessGates(pod),
  ];
}
