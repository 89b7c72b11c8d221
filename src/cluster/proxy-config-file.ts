// The `--proxy-config FILE` source: a KubeProxyConfiguration as kube-proxy reads it with
// --config, or the ConfigMap that carries one (`kubectl get cm -n kube-system kube-proxy -o yaml`,
// OpenShift SDN's `sdn-config`). The only I/O of the proxy model; what the fields mean is
// src/proxy/config.ts's business.
import { loadYaml } from './go-yaml-schema.js';
import { InputError } from '../errors.js';
import { readFlagFile } from './flag-file.js';
import { parseDocuments } from './documents.js';
import { isKubeProxyConfiguration, kubeProxyConfigurationFromConfigMap } from './proxy-settings.js';
import { isObject } from './shapes.js';
import { qualifiedName, type KubeObject } from './types.js';

export interface ProxyConfigFile {
  config: Record<string, unknown>;
  /** For messages: the path, and the ConfigMap and key when the configuration came from one. */
  origin: string;
}

/**
 * The KubeProxyConfiguration under any key of a ConfigMap: kubeadm uses `config.conf`,
 * OpenShift SDN `kube-proxy-config.yaml`. `config.conf` is tried first.
 */
function fromConfigMap(cm: KubeObject): { config: Record<string, unknown>; key: string } | undefined {
  const standard = kubeProxyConfigurationFromConfigMap(cm);
  if (standard) return { config: standard, key: 'config.conf' };
  const data = isObject(cm.data) ? cm.data : {};
  for (const key of Object.keys(data).sort()) {
    const text = data[key];
    if (typeof text !== 'string' || !/KubeProxyConfiguration/.test(text)) continue;
    let doc: unknown;
    try {
      doc = loadYaml(text);
    } catch {
      continue;
    }
    if (isKubeProxyConfiguration(doc)) return { config: doc as Record<string, unknown>, key };
  }
  return undefined;
}

/** Finds the configuration among the documents of a file's text (YAML or JSON, one or many). */
export function proxyConfigFromText(path: string, text: string): ProxyConfigFile {
  for (const doc of parseDocuments(path, text)) {
    const values = isObject(doc.value) && Array.isArray(doc.value.items) ? (doc.value.items as unknown[]) : [doc.value];
    for (const value of values) {
      if (isKubeProxyConfiguration(value)) return { config: value as Record<string, unknown>, origin: path };
      const obj = value as KubeObject | null;
      if (isObject(obj) && obj.kind === 'ConfigMap') {
        const found = fromConfigMap(obj);
        if (found) return { config: found.config, origin: `${path} (ConfigMap ${qualifiedName(obj)}, ${found.key})` };
      }
    }
  }
  throw new InputError(`${path}: no KubeProxyConfiguration (or ConfigMap carrying one) in --proxy-config`);
}

/** Reads `--proxy-config FILE`; unreadable or configuration-less files give one InputError line. */
export async function readProxyConfigFile(path: string): Promise<ProxyConfigFile> {
  return proxyConfigFromText(path, await readFlagFile(path, '--proxy-config'));
}
