// `svctrace check`'s rules over cluster objects: a list of small named rules, each looking at
// one Service (with what the resolver links to it) and pushing findings. Pure.
import { isExternalName, targetPortOf } from './derive.js';
import { resolverFor, type PodEndpointExplanation, type ResolvedSlices } from './resolver.js';
import { hasSelector } from './selector.js';
import type { Pod, Service, Snapshot } from './types.js';

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  severity: Severity;
  /** The rule's name, e.g. "selector-matches-nothing". */
  check: string;
  /** "ns/name" of the service. */
  service: string;
  message: string;
}

/** What every rule sees for one Service, resolved once. */
export interface ServiceFacts {
  service: Service;
  slices: ResolvedSlices;
  pods: PodEndpointExplanation[];
  /** The snapshot holds Pods at all: without any, selector checks cannot judge. */
  snapshotHasPods: boolean;
}

interface Rule {
  name: string;
  severity: Severity;
  /** What the rule catches, for `check --help`-style docs. */
  summary: string;
  run(facts: ServiceFacts, push: (message: string) => void): void;
}

/** Kubernetes' default --service-node-port-range. */
export const DEFAULT_NODE_PORT_RANGE = { from: 30000, to: 32767 };

const isHeadless = (s: Service) => s.spec?.clusterIP === 'None';
const readyCount = (f: ServiceFacts) =>
  f.slices.slices.reduce((n, s) => n + (s.endpoints ?? []).filter((e) => e.conditions?.ready ?? true).length, 0);
const podName = (p: Pod) => p.metadata?.name ?? '?';

export const SERVICE_RULES: readonly Rule[] = [
  {
    name: 'selector-matches-nothing',
    severity: 'error',
    summary: 'the Service has a selector but no Pod in its namespace carries those labels',
    run(f, push) {
      if (isExternalName(f.service) || !hasSelector(f.service.spec?.selector) || !f.snapshotHasPods) return;
      if (f.pods.length > 0) return;
      const sel = Object.entries(f.service.spec?.selector ?? {}).map(([k, v]) => `${k}=${v}`).sort().join(',');
      push(`selector ${sel} matches no pod in namespace ${f.service.metadata?.namespace}`);
    },
  },
  {
    name: 'no-ready-endpoints',
    severity: 'error',
    summary: 'the Service has no ready endpoint: connections are rejected (or DNS answers nothing)',
    run(f, push) {
      if (isExternalName(f.service)) return;
      if (f.slices.source === 'none' && hasSelector(f.service.spec?.selector) && !f.snapshotHasPods) return;
      if (readyCount(f) > 0) return;
      if (f.slices.source === 'none') push('no EndpointSlices or Endpoints for this service');
      else push(`none of its endpoints is ready${isHeadless(f.service) ? '' : ': kube-proxy rejects connections to it'}`);
    },
  },
  {
    name: 'pods-not-ready',
    severity: 'warning',
    summary: 'some selected Pods are not ready endpoints',
    run(f, push) {
      for (const p of f.pods) {
        if (p.endpoint && p.ready) continue;
        const why = p.reasons.filter((r) => r.code !== 'port-not-found').map((r) => r.message).join('; ');
        if (why) push(`pod ${podName(p.pod)} is ${p.endpoint ? 'not ready' : 'not an endpoint'}: ${why}`);
      }
    },
  },
  {
    name: 'target-port-unresolvable',
    severity: 'error',
    summary: "a named targetPort that a selected Pod's containers do not declare",
    run(f, push) {
      for (const p of f.pods) {
        for (const r of p.reasons) if (r.code === 'port-not-found') push(`pod ${podName(p.pod)}: ${r.message}`);
      }
    },
  },
  {
    name: 'target-port-protocol',
    severity: 'warning',
    summary: 'the target port is declared by the Pod only under another protocol',
    run(f, push) {
      for (const sp of f.service.spec?.ports ?? []) {
        const target = targetPortOf(sp);
        if (typeof target !== 'number') continue;
        const protocol = sp.protocol ?? 'TCP';
        for (const p of f.pods) {
          const declared = (p.pod.spec?.containers ?? []).flatMap((c) => c.ports ?? []).filter((cp) => cp.containerPort === target);
          if (declared.length > 0 && !declared.some((cp) => (cp.protocol ?? 'TCP') === protocol)) {
            push(`port ${sp.port}/${protocol} targets ${target}, which pod ${podName(p.pod)} declares only as ${declared.map((cp) => cp.protocol ?? 'TCP').join(',')}`);
          }
        }
      }
    },
  },
  {
    name: 'node-port-out-of-range',
    severity: 'warning',
    summary: `a nodePort outside the default range ${DEFAULT_NODE_PORT_RANGE.from}-${DEFAULT_NODE_PORT_RANGE.to}`,
    run(f, push) {
      for (const sp of f.service.spec?.ports ?? []) {
        const np = sp.nodePort;
        if (np && (np < DEFAULT_NODE_PORT_RANGE.from || np > DEFAULT_NODE_PORT_RANGE.to)) {
          push(`nodePort ${np} is outside the default range ${DEFAULT_NODE_PORT_RANGE.from}-${DEFAULT_NODE_PORT_RANGE.to}`);
        }
      }
    },
  },
  {
    name: 'load-balancer-pending',
    severity: 'warning',
    summary: 'a LoadBalancer Service without an ingress address yet',
    run(f, push) {
      if (f.service.spec?.type !== 'LoadBalancer') return;
      if ((f.service.status?.loadBalancer?.ingress ?? []).length === 0) push('no load-balancer ingress yet (EXTERNAL-IP <pending>)');
    },
  },
  {
    name: 'selector-ignored',
    // Only informational: `kubectl create service externalname` itself writes app=<name>.
    severity: 'info',
    summary: 'an ExternalName Service with a selector (the selector is ignored)',
    run(f, push) {
      if (isExternalName(f.service) && hasSelector(f.service.spec?.selector)) push('ExternalName services ignore their selector');
    },
  },
];

/** Node ports used by more than one service port (same protocol): only one can work. */
export function nodePortConflicts(services: readonly Service[]): Finding[] {
  const owners = new Map<string, string[]>();
  for (const s of services) {
    for (const sp of s.spec?.ports ?? []) {
      if (!sp.nodePort) continue;
      const key = `${sp.nodePort}/${sp.protocol ?? 'TCP'}`;
      const list = owners.get(key) ?? [];
      list.push(`${s.metadata?.namespace}/${s.metadata?.name}`);
      owners.set(key, list);
    }
  }
  const out: Finding[] = [];
  for (const [port, list] of owners) {
    if (list.length < 2) continue;
    for (const service of list) {
      const others = list.filter((o) => o !== service);
      out.push({ severity: 'error', check: 'node-port-conflict', service, message: `nodePort ${port} is also used by ${others.join(', ')}` });
    }
  }
  return out;
}

/** Runs every rule over `services` (resolved against the whole snapshot). */
export function lintServices(snapshot: Snapshot, services: readonly Service[]): Finding[] {
  const snapshotHasPods = snapshot.pods.length > 0;
  const resolver = resolverFor(snapshot);
  const findings: Finding[] = [];
  for (const service of services) {
    const key = `${service.metadata?.namespace}/${service.metadata?.name}`;
    const slices = resolver.slicesFor(service);
    const facts: ServiceFacts = { service, slices, pods: resolver.explainPods(service, slices), snapshotHasPods };
    for (const rule of SERVICE_RULES) {
      rule.run(facts, (message) => findings.push({ severity: rule.severity, check: rule.name, service: key, message }));
    }
  }
  // Conflicts are judged over every service of the snapshot, reported for those checked.
  const checked = new Set(services.map((s) => `${s.metadata?.namespace}/${s.metadata?.name}`));
  findings.push(...nodePortConflicts(snapshot.services).filter((f) => checked.has(f.service)));
  return findings;
}

/** Every check's name, severity and summary: docs/commands/check.md's table is held to it by a test. */
export const RULE_SUMMARIES: ReadonlyArray<{ name: string; severity: Severity; summary: string }> = [
  ...SERVICE_RULES.map(({ name, severity, summary }) => ({ name, severity, summary })),
  { name: 'node-port-conflict', severity: 'error', summary: 'two services claim the same nodePort and protocol' },
  { name: 'kube-proxy-skips', severity: 'error', summary: 'kube-proxy would skip or trim part of the service (an invalid address or range)' },
];
