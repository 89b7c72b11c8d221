// `get services`: printers.go's serviceColumnDefinitions and printService.
import type { Service } from '../cluster/types.js';
import { translateTimestampSince } from './duration.js';
import { goCompare } from '../cluster/go-order.js';
import { formatLabels } from './labels.js';
import { makePortString } from './ports.js';
import type { ColumnDefinition } from './table.js';

export const serviceColumns: readonly ColumnDefinition[] = [
  { name: 'Name' },
  { name: 'Type' },
  { name: 'Cluster-IP' },
  { name: 'External-IP' },
  { name: 'Port(s)' },
  { name: 'Age' },
  { name: 'Selector', priority: 1 },
];

/** The API server defaults spec.type to ClusterIP; objects read from files may omit it. */
export const serviceType = (svc: Service): string => svc.spec?.type || 'ClusterIP';

/**
 * loadBalancerStatusStringer: ingress IPs (else hostnames), de-duplicated and sorted.
 * kubectl clips it to 16 characters only for client-side printing; `kubectl get` prints
 * the API server's table, which is always generated wide, so it is never clipped.
 */
export function loadBalancerStatus(svc: Service): string {
  const seen = new Set<string>();
  for (const ing of svc.status?.loadBalancer?.ingress ?? []) {
    if (ing.ip) seen.add(ing.ip);
    else if (ing.hostname) seen.add(ing.hostname);
  }
  return [...seen].sort(goCompare).join(',');
}

/** getServiceExternalIP: the EXTERNAL-IP cell. */
export function serviceExternalIP(svc: Service): string {
  const externalIPs = svc.spec?.externalIPs ?? [];
  switch (serviceType(svc)) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerStatus(svc);
      if (externalIPs.length > 0) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return svc.spec?.externalName ?? '';
  }
  return '<unknown>';
}

/** printService: Name, Type, Cluster-IP, External-IP, Port(s), Age, Selector. */
export function printService(svc: Service, now: Date): string[] {
  const clusterIPs = svc.spec?.clusterIPs ?? [];
  const ports = makePortString(svc.spec?.ports);
  return [
    svc.metadata?.name ?? '',
    serviceType(svc),
    // Objects written by hand may carry clusterIP only; the server fills clusterIPs from it.
    clusterIPs[0] || svc.spec?.clusterIP || '<none>',
    serviceExternalIP(svc),
    ports || '<none>',
    translateTimestampSince(svc.metadata?.creationTimestamp, now),
    formatLabels(svc.spec?.selector),
  ];
}
