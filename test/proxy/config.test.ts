// The node's proxy configuration: where each setting comes from (flags, then --proxy-config,
// then what the source found, then kube-proxy's defaults), which node is modelled, and one
// UsageError line for every bad value.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Node, SourceProxySettings } from '../../src/cluster/types.js';
import { proxyConfigFromText } from '../../src/cluster/proxy-config-file.js';
import { buildProxyConfig, masqueradeMarkFor, PLACEHOLDER_NODE_NAME, type ProxyFlagValues } from '../../src/proxy/config.js';
import { localTrafficDetector } from '../../src/proxy/detect-local.js';

const node = (name: string, addresses: Array<[string, string]> = [], extra: Partial<Node> = {}): Node =>
  ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { addresses: addresses.map(([type, address]) => ({ type, address })) }, ...extra }) as Node;

const kpc = (fields: Record<string, unknown>) => ({ apiVersion: 'kubeproxy.config.k8s.io/v1alpha1', kind: 'KubeProxyConfiguration', ...fields });

function build(flags: ProxyFlagValues = {}, opts: { file?: Record<string, unknown>; nodes?: Node[]; proxy?: SourceProxySettings } = {}) {
  return buildProxyConfig({
    flags,
    ...(opts.file ? { file: { config: opts.file, origin: 'kp.yaml' } } : {}),
    snapshot: { nodes: opts.nodes ?? [], ...(opts.proxy ? { proxy: opts.proxy } : {}) },
  });
}

describe('which node is modelled', () => {
  it('defaults to the first Node by name (byte order, as Go sorts) and takes its InternalIP, then ExternalIP', () => {
    const c = build({}, { nodes: [node('worker1', [['InternalIP', '10.0.0.2']]), node('Worker9', [['ExternalIP', '1.2.3.4'], ['InternalIP', '10.0.0.9']])] });
    assert.equal(c.nodeName, 'Worker9');
    assert.deepEqual(c.nodeIPs, ['10.0.0.9', '1.2.3.4']);
    assert.equal(c.nodeSource, 'node');
  });

  it('--node picks a node; --node-ip replaces its addresses', () => {
    const nodes = [node('a', [['InternalIP', '10.0.0.1']]), node('b', [['InternalIP', '10.0.0.2']])];
    assert.deepEqual(build({ node: 'b' }, { nodes }).nodeIPs, ['10.0.0.2']);
    assert.deepEqual(build({ node: 'b', nodeIp: ['192.168.0.2', '2001:DB8::1'] }, { nodes }).nodeIPs, ['192.168.0.2', '2001:db8::1']);
  });

  it('without Node objects, a node named on the command line is enough', () => {
    const c = build({ node: 'n1', nodeIp: ['10.1.1.1'] });
    assert.equal(c.nodeName, 'n1');
    assert.equal(c.nodeSource, 'flag');
  });

  it('without either, a placeholder node that owns no endpoint', () => {
    const c = build();
    assert.equal(c.nodeName, PLACEHOLDER_NODE_NAME);
    assert.equal(c.nodeSource, 'placeholder');
    assert.deepEqual(c.nodeIPs, []);
  });

  it("hostnameOverride from the configuration names the node, lower-cased as kube-proxy does", () => {
    assert.equal(build({}, { file: kpc({ hostnameOverride: 'Worker2' }), nodes: [node('a'), node('worker2')] }).nodeName, 'worker2');
  });
});

describe('precedence: flags, then --proxy-config, then the source', () => {
  const proxy: SourceProxySettings = { clusterNetworkCIDRs: ['10.254.0.0/16'], kubeProxyConfiguration: kpc({ clusterCIDR: '10.200.0.0/16', iptables: { masqueradeBit: 15 } }) };

  it("the source's KubeProxyConfiguration wins over OpenShift's cluster network", () => {
    assert.deepEqual(build({}, { proxy }).detectLocal.cidrs, ['10.200.0.0/16']);
  });

  it("OpenShift's cluster network is used when no configuration names a cluster CIDR", () => {
    assert.deepEqual(build({}, { proxy: { clusterNetworkCIDRs: ['10.254.0.0/16'] } }).detectLocal.cidrs, ['10.254.0.0/16']);
  });

  it('the file wins over the source, field by field', () => {
    const c = build({}, { proxy, file: kpc({ clusterCIDR: '10.100.0.0/16' }) });
    assert.deepEqual(c.detectLocal.cidrs, ['10.100.0.0/16']);
    assert.equal(c.masqueradeBit, 15, 'masqueradeBit still comes from the source');
    assert.equal(c.masqueradeMark, '0x00008000');
  });

  it('flags win over both', () => {
    const c = build({ clusterCidr: '10.0.0.0/8,fd00::/64', masqueradeAll: true, nodeportAddresses: '192.168.0.0/24', localhostNodeports: false }, {
      proxy,
      file: kpc({ clusterCIDR: '10.100.0.0/16', iptables: { masqueradeAll: false, localhostNodePorts: true }, nodePortAddresses: ['10.1.0.0/16'] }),
    });
    assert.deepEqual(c.detectLocal.cidrs, ['10.0.0.0/8', 'fd00::/64']);
    assert.equal(c.masqueradeAll, true);
    assert.deepEqual(c.nodePortAddresses, ['192.168.0.0/24']);
    assert.equal(c.localhostNodePorts, false);
  });

  it('kube-proxy defaults: bit 14, mark "%#08x" = 0x00004000, localhost NodePorts on, no liberal conntrack', () => {
    const c = build();
    assert.equal(c.masqueradeMark, '0x00004000');
    assert.equal(c.localhostNodePorts, true);
    assert.equal(c.conntrackTCPLiberal, false);
    assert.equal(masqueradeMarkFor(0), '0x00000001');
    assert.equal(masqueradeMarkFor(31), '0x80000000');
  });

  it('conntrack.tcpBeLiberal from the configuration', () => {
    assert.equal(build({}, { file: kpc({ conntrack: { tcpBeLiberal: true } }) }).conntrackTCPLiberal, true);
  });
});

describe('detect-local modes', () => {
  it('ClusterCIDR: the first CIDR of each family, as kube-proxy picks them', () => {
    const c = build({ clusterCidr: '10.0.0.0/8,10.1.0.0/16,fd00::/64' });
    assert.deepEqual(localTrafficDetector(c.detectLocal, 4).ifNotLocal, ['!', '-s', '10.0.0.0/8']);
    assert.deepEqual(localTrafficDetector(c.detectLocal, 6).ifNotLocal, ['!', '-s', 'fd00::/64']);
  });

  it("NodeCIDR: the node's pod CIDRs", () => {
    const c = build({}, { file: kpc({ detectLocalMode: 'NodeCIDR' }), nodes: [node('a', [], { spec: { podCIDRs: ['10.128.2.0/23'] } } as Partial<Node>)] });
    assert.deepEqual(localTrafficDetector(c.detectLocal, 4).ifLocal, ['-s', '10.128.2.0/23']);
  });

  it('BridgeInterface and InterfaceNamePrefix match the input interface', () => {
    const bridge = build({}, { file: kpc({ detectLocalMode: 'BridgeInterface', detectLocal: { bridgeInterface: 'cbr0' } }) });
    assert.deepEqual(localTrafficDetector(bridge.detectLocal, 4).ifNotLocal, ['!', '-i', 'cbr0']);
    const prefix = build({}, { file: kpc({ detectLocalMode: 'InterfaceNamePrefix', detectLocal: { interfaceNamePrefix: 'veth' } }) });
    assert.deepEqual(localTrafficDetector(prefix.detectLocal, 6).ifLocal, ['-i', 'veth+']);
  });

  it('no cluster CIDR at all: nothing detects local traffic', () => {
    assert.equal(localTrafficDetector(build().detectLocal, 4).implemented, false);
  });
});

describe('bad values: one UsageError line each', () => {
  const cases: Array<[string, () => unknown, RegExp]> = [
    ['a CIDR with a bad prefix', () => build({ clusterCidr: '10.0.0.0/40' }), /^invalid --cluster-cidr "10\.0\.0\.0\/40": not a CIDR/],
    ['a CIDR that is an address', () => build({ clusterCidr: '10.0.0.1' }), /^invalid --cluster-cidr "10\.0\.0\.1"/],
    ['a node IP that is not one', () => build({ nodeIp: ['node-a'] }), /^invalid --node-ip "node-a": not an IP address$/],
    ['an unknown version', () => build({ proxyVersion: '1.42' }), /^unknown kube-proxy version 1\.42/],
    ['a node that is not there', () => build({ node: 'x' }, { nodes: [node('a')] }), /^node "x" not found \(nodes: a\)$/],
    ['a --nodeport-addresses entry', () => build({ nodeportAddresses: '10.0.0.0/8,eth0' }), /^invalid --nodeport-addresses entry "eth0"/],
    ['a masquerade bit out of range', () => build({}, { file: kpc({ iptables: { masqueradeBit: 32 } }) }), /^invalid iptables\.masqueradeBit 32: use 0 to 31$/],
    ['a clusterCIDR in the file', () => build({}, { file: kpc({ clusterCIDR: 'bogus' }) }), /^invalid clusterCIDR "bogus"/],
    ['an unknown detectLocalMode', () => build({}, { file: kpc({ detectLocalMode: 'Magic' }) }), /^invalid detectLocalMode "Magic"/],
    ['a non-boolean masqueradeAll', () => build({}, { file: kpc({ iptables: { masqueradeAll: 'yes' } }) }), /^invalid masqueradeAll "yes": use true or false$/],
  ];
  for (const [what, fn, message] of cases) {
    it(`rejects ${what}`, () => {
      assert.throws(fn, (err: Error) => err.name === 'UsageError' && message.test(err.message) && !err.message.includes('\n'));
    });
  }
});

describe('--proxy-config files', () => {
  it('reads a bare KubeProxyConfiguration', () => {
    const f = proxyConfigFromText('kp.yaml', 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nclusterCIDR: 10.9.0.0/16\n');
    assert.equal(f.config.clusterCIDR, '10.9.0.0/16');
    assert.equal(f.origin, 'kp.yaml');
  });

  it("reads OpenShift SDN's ConfigMap (key kube-proxy-config.yaml) and names the key", () => {
    const text = [
      'apiVersion: v1', 'kind: ConfigMap', 'metadata: {namespace: openshift-sdn, name: sdn-config}', 'data:',
      '  kube-proxy-config.yaml: |', '    apiVersion: kubeproxy.config.k8s.io/v1alpha1', '    kind: KubeProxyConfiguration',
      '    iptables:', '      masqueradeBit: 0', '',
    ].join('\n');
    const f = proxyConfigFromText('sdn.yaml', text);
    assert.equal(f.origin, 'sdn.yaml (ConfigMap openshift-sdn/sdn-config, kube-proxy-config.yaml)');
    assert.equal(build({}, { file: f.config }).masqueradeMark, '0x00000001');
  });

  it('finds the ConfigMap inside a List', () => {
    const list = { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: 'kube-system', name: 'kube-proxy' }, data: { 'config.conf': 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: ipvs\n' } }] };
    assert.equal(proxyConfigFromText('l.json', JSON.stringify(list)).config.mode, 'ipvs');
  });

  it('a file with YAML errors is one InputError naming the file', () => {
    assert.throws(() => proxyConfigFromText('bad.yaml', 'kind: [\n'), (e: Error) => e.name === 'InputError' && e.message.startsWith('bad.yaml:'));
  });
});
