import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  dataplaneNote,
  mergeProxySettings,
  proxySettingsFromObject,
} from '../../src/cluster/proxy-settings.js';

// The kube-proxy ConfigMap as kubeadm writes it (trimmed): the configuration is YAML text.
const kubeProxyConfigMap = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'kube-proxy', namespace: 'kube-system' },
  data: {
    'config.conf': [
      'apiVersion: kubeproxy.config.k8s.io/v1alpha1',
      'kind: KubeProxyConfiguration',
      'clusterCIDR: 10.244.0.0/16',
      'mode: ""',
      'iptables:',
      '  masqueradeAll: false',
      '',
    ].join('\n'),
    'kubeconfig.conf': 'apiVersion: v1\nkind: Config\n',
  },
};

const network = (type: string, statusType?: string) => ({
  apiVersion: 'config.openshift.io/v1',
  kind: 'Network',
  metadata: { name: 'cluster' },
  spec: { clusterNetwork: [{ cidr: '10.128.0.0/14', hostPrefix: 23 }], serviceNetwork: ['172.30.0.0/16'], networkType: type },
  ...(statusType
    ? { status: { clusterNetwork: [{ cidr: '10.132.0.0/14', hostPrefix: 23 }], serviceNetwork: ['172.30.0.0/16'], networkType: statusType } }
    : {}),
});

describe('proxy settings from objects', () => {
  it('reads the KubeProxyConfiguration inside the kube-proxy ConfigMap', () => {
    const s = proxySettingsFromObject(kubeProxyConfigMap);
    assert.equal(s?.origin, 'ConfigMap kube-system/kube-proxy');
    assert.equal(s?.kubeProxyConfiguration?.clusterCIDR, '10.244.0.0/16');
    assert.deepEqual(s?.kubeProxyConfiguration?.iptables, { masqueradeAll: false });
  });

  it('ignores ConfigMaps that hold no KubeProxyConfiguration', () => {
    assert.equal(proxySettingsFromObject({ kind: 'ConfigMap', metadata: { name: 'x' }, data: { 'config.conf': 'a: 1' } }), undefined);
    assert.equal(proxySettingsFromObject({ kind: 'ConfigMap', metadata: { name: 'x' } }), undefined);
  });

  it('takes a bare KubeProxyConfiguration as it is', () => {
    const kpc = { apiVersion: 'kubeproxy.config.k8s.io/v1alpha1', kind: 'KubeProxyConfiguration', mode: 'ipvs' };
    assert.deepEqual(proxySettingsFromObject(kpc, 'proxy.yaml'), { kubeProxyConfiguration: kpc, origin: 'proxy.yaml' });
  });

  it("prefers the OpenShift Network's status (what is in effect) over its spec", () => {
    assert.deepEqual(proxySettingsFromObject(network('OVNKubernetes', 'OpenShiftSDN')), {
      origin: 'Network.config.openshift.io cluster',
      clusterNetworkCIDRs: ['10.132.0.0/14'],
      serviceNetworkCIDRs: ['172.30.0.0/16'],
      networkType: 'OpenShiftSDN',
    });
    assert.equal(proxySettingsFromObject(network('OVNKubernetes'))?.networkType, 'OVNKubernetes');
    assert.deepEqual(proxySettingsFromObject(network('OVNKubernetes'))?.clusterNetworkCIDRs, ['10.128.0.0/14']);
  });

  it('merges settings first-wins and joins the origins', () => {
    const merged = mergeProxySettings(proxySettingsFromObject(kubeProxyConfigMap), undefined, proxySettingsFromObject(network('OpenShiftSDN')));
    assert.equal(merged?.origin, 'ConfigMap kube-system/kube-proxy, Network.config.openshift.io cluster');
    assert.equal(merged?.networkType, 'OpenShiftSDN');
    assert.equal(merged?.kubeProxyConfiguration?.clusterCIDR, '10.244.0.0/16');
    assert.equal(mergeProxySettings(undefined, undefined), undefined);
  });
});

describe('dataplane note', () => {
  it('warns on OVN-Kubernetes, which does not use kube-proxy', () => {
    const note = dataplaneNote({ networkType: 'OVNKubernetes' });
    assert.match(note ?? '', /^note: .*OVNKubernetes.*not kube-proxy.*iptables mode$/);
    assert.ok(!note?.includes('\n'));
  });

  it('warns when kube-proxy runs in another mode', () => {
    assert.match(dataplaneNote({ kubeProxyConfiguration: { mode: 'ipvs' } }) ?? '', /ipvs mode/);
    assert.match(dataplaneNote({ kubeProxyConfiguration: { mode: 'nftables' } }) ?? '', /nftables mode/);
  });

  it('stays quiet for kube-proxy iptables, OpenShiftSDN and unknown settings', () => {
    assert.equal(dataplaneNote(undefined), undefined);
    assert.equal(dataplaneNote({ networkType: 'OpenShiftSDN' }), undefined);
    assert.equal(dataplaneNote({ kubeProxyConfiguration: { mode: '' } }), undefined);
    assert.equal(dataplaneNote({ kubeProxyConfiguration: { mode: 'iptables' } }), undefined);
  });
});
