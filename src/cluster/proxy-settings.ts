// Proxy settings found among cluster objects: a KubeProxyConfiguration, the kube-proxy
// ConfigMap that carries one (`config.conf`), and OpenShift's cluster network configuration
// (`config.openshift.io/v1` Network `cluster`). Shared by the file source and the live source,
// so both read these objects the same way. No I/O here.
import { loadYaml } from './go-yaml-schema.js';
import { isObject } from './shapes.js';
import { qualifiedName, type KubeObject, type SourceProxySettings } from './types.js';

/** The ConfigMap key kubeadm (and most installers) put kube-proxy's configuration under. */
export const KUBE_PROXY_CONFIG_KEY = 'config.conf';

/**
 * Network types whose Services are not kube-proxy's iptables rules (OVN load balancers,
 * OpenStack Octavia). OpenShiftSDN ran kube-proxy in iptables mode, so it is not here.
 */
const NOT_KUBE_PROXY = new Map<string, string>([
  ['ovnkubernetes', 'OVN-Kubernetes load balancers (ovnkube-trace shows the real path)'],
  ['kuryr', 'Kuryr/Octavia load balancers'],
]);


/** True for a KubeProxyConfiguration object (any kubeproxy.config.k8s.io version). */
export function isKubeProxyConfiguration(o: unknown): boolean {
  return isObject(o) && o.kind === 'KubeProxyConfiguration' && String(o.apiVersion ?? '').startsWith('kubeproxy.config.k8s.io/');
}

/** True for OpenShift's cluster network configuration (`networks.config.openshift.io`). */
export function isOpenShiftNetwork(o: unknown): boolean {
  return isObject(o) && o.kind === 'Network' && String(o.apiVersion ?? '').startsWith('config.openshift.io/');
}

/**
 * The KubeProxyConfiguration a ConfigMap carries under `config.conf`, or undefined when it
 * carries none. Throws (the YAML reader's error) when the text is not YAML.
 */
export function kubeProxyConfigurationFromConfigMap(cm: KubeObject): Record<string, unknown> | undefined {
  const data = cm.data;
  if (!isObject(data) || typeof data[KUBE_PROXY_CONFIG_KEY] !== 'string') return undefined;
  const doc: unknown = loadYaml(data[KUBE_PROXY_CONFIG_KEY] as string);
  return isKubeProxyConfiguration(doc) ? (doc as Record<string, unknown>) : undefined;
}

const cidrs = (list: unknown, key?: string): string[] | undefined => {
  if (!Array.isArray(list)) return undefined;
  const out = list.map((e) => (key ? (isObject(e) ? e[key] : undefined) : e)).filter((c): c is string => typeof c === 'string');
  return out.length > 0 ? out : undefined;
};

/**
 * Settings from OpenShift's Network config. `status` is what is in effect (during a network
 * migration `spec.networkType` already names the target), so it wins over `spec`.
 */
export function settingsFromOpenShiftNetwork(net: KubeObject): SourceProxySettings {
  const spec = isObject(net.spec) ? net.spec : {};
  const status = isObject(net.status) ? net.status : {};
  const out: SourceProxySettings = { origin: `Network.config.openshift.io ${qualifiedName(net)}` };
  const cluster = cidrs(status.clusterNetwork, 'cidr') ?? cidrs(spec.clusterNetwork, 'cidr');
  const service = cidrs(status.serviceNetwork) ?? cidrs(spec.serviceNetwork);
  const type = typeof status.networkType === 'string' && status.networkType ? status.networkType : spec.networkType;
  if (cluster) out.clusterNetworkCIDRs = cluster;
  if (service) out.serviceNetworkCIDRs = service;
  if (typeof type === 'string' && type) out.networkType = type;
  return out;
}

/**
 * Proxy settings from one object, or undefined when the object carries none: a
 * KubeProxyConfiguration, a ConfigMap holding one, or OpenShift's Network config.
 */
export function proxySettingsFromObject(o: KubeObject, where?: string): SourceProxySettings | undefined {
  if (isKubeProxyConfiguration(o)) return { kubeProxyConfiguration: o, origin: where ?? 'KubeProxyConfiguration' };
  if (o.kind === 'ConfigMap') {
    const kpc = kubeProxyConfigurationFromConfigMap(o);
    return kpc ? { kubeProxyConfiguration: kpc, origin: `ConfigMap ${qualifiedName(o)}` } : undefined;
  }
  if (isOpenShiftNetwork(o)) return settingsFromOpenShiftNetwork(o);
  return undefined;
}

/** Combines settings from several objects: the first to set a field wins; origins are joined. */
export function mergeProxySettings(...parts: (SourceProxySettings | undefined)[]): SourceProxySettings | undefined {
  const present = parts.filter((p): p is SourceProxySettings => p !== undefined);
  if (present.length === 0) return undefined;
  const out: SourceProxySettings = {};
  for (const p of present) {
    out.kubeProxyConfiguration ??= p.kubeProxyConfiguration;
    out.clusterNetworkCIDRs ??= p.clusterNetworkCIDRs;
    out.serviceNetworkCIDRs ??= p.serviceNetworkCIDRs;
    out.networkType ??= p.networkType;
  }
  const origins = present.map((p) => p.origin).filter((o): o is string => Boolean(o));
  if (origins.length > 0) out.origin = origins.join(', ');
  for (const k of Object.keys(out) as (keyof SourceProxySettings)[]) if (out[k] === undefined) delete out[k];
  return out;
}

/**
 * The one-line note `rules` and `trace` print when the cluster's Services are not
 * kube-proxy iptables rules: an OVN-Kubernetes (or Kuryr) network, or a kube-proxy
 * configured for ipvs or nftables. undefined when kube-proxy iptables is (or may be) in use.
 */
export function dataplaneNote(proxy: SourceProxySettings | undefined): string | undefined {
  if (!proxy) return undefined;
  const type = proxy.networkType;
  const what = type ? NOT_KUBE_PROXY.get(type.toLowerCase().replace(/[^a-z]/g, '')) : undefined;
  if (type && what) {
    return `note: this cluster's network type is ${type}: its Services are ${what}, not kube-proxy; these rules model kube-proxy in iptables mode`;
  }
  const mode = proxy.kubeProxyConfiguration?.mode;
  if (typeof mode === 'string' && mode !== '' && mode !== 'iptables') {
    return `note: this cluster's kube-proxy runs in ${mode} mode; these rules model kube-proxy in iptables mode`;
  }
  return undefined;
}
