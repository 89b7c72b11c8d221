// Real-format node dumps holding rules svctrace did not write (test/fixtures/trace/README.md):
// kubelet's chains, Flannel and Docker (kube-proxy 1.20), Calico (kube-proxy 1.28), raw and
// mangle tables, `iptables-save -c` counters. They must parse, and the kube-proxy part must
// trace as it does alone: the same verdict and endpoints with the same odds, and the same
// masquerade decision where the other software leaves it to kube-proxy.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadDemo } from '../../src/cluster/demo.js';
import { parseRuleset, printSave, type Ruleset } from '../../src/netfilter/index.js';
import { tracePacket, type Packet, type TraceResult } from '../../src/netfilter/trace.js';
import { buildProxyConfig } from '../../src/proxy/config.js';
import { nodeRuleset } from '../../src/proxy/node-rules.js';
import { renderNode } from '../../src/proxy/render.js';
import { FIXTURES } from '../proxy/support/fake-proxier.js';

const NODE = 'worker0.ocp4.labs.semperti.local';
const NODE_IP = '10.252.7.235';
const POD = '10.254.4.2'; // a pod on worker0 (its pods are in 10.254.4.0/24)

/** What kube-proxy alone writes on worker0 for the demo cluster at that version (save form). */
async function kubeProxyAlone(version: string): Promise<Ruleset> {
  const snapshot = await loadDemo();
  const config = buildProxyConfig({ flags: { node: NODE, proxyVersion: version }, snapshot });
  return nodeRuleset(renderNode(snapshot, config).families[0]!, config.profile.switches);
}

const dump = (name: string) => parseRuleset(readFileSync(join(FIXTURES, 'trace', name), 'utf8'), { source: name, strict: true });

function traceOn(rs: Ruleset, p: Partial<Packet>): TraceResult {
  return tracePacket(rs, { family: 'ipv4', source: POD, destination: '172.30.85.132', protocol: 'tcp', destinationPort: 8080, ...p }, { localAddresses: [NODE_IP] });
}

/** The kube-proxy outcome of a trace: verdict, where each share of new connections goes. */
const outcome = (r: TraceResult) => ({ verdict: r.verdict, paths: r.paths.map((p) => `${p.verdict} ${p.destination ?? ''} ${p.odds}`).sort() });

const PROBES: Array<{ name: string; packet: Partial<Packet>; masquerade: boolean }> = [
  { name: 'a pod on the node to the walkthrough cluster IP', packet: {}, masquerade: false },
  { name: 'a client outside the pod network to the cluster IP', packet: { source: '10.252.7.1' }, masquerade: true },
  { name: 'a client outside to the NodePort', packet: { source: '10.252.7.1', destination: NODE_IP, destinationPort: 32291 }, masquerade: true },
  { name: 'a pod to the NodePort', packet: { destination: NODE_IP, destinationPort: 32291 }, masquerade: true },
  { name: 'the node itself to the cluster IP', packet: { source: NODE_IP }, masquerade: true },
  { name: 'a pod to postgresql (one endpoint)', packet: { destination: '172.30.194.95', destinationPort: 5432 }, masquerade: false },
];

for (const { file, version } of [
  { file: 'kubeadm-1.20-flannel-docker.save', version: '1.20' },
  { file: 'kubeadm-1.28-calico.save', version: '1.28' },
]) {
  describe(`${file}: kube-proxy ${version} among other software's rules`, () => {
    const rs = dump(file);

    it('parses, counters and all, and holds every rule kube-proxy writes at that version', async () => {
      const tables = rs.tables.map((t) => t.name).sort();
      assert.deepEqual(tables, ['filter', 'mangle', 'nat', 'raw']);
      const counted = rs.tables.flatMap((t) => t.chains.flatMap((c) => c.rules)).filter((r) => (r.counters?.packets ?? 0n) > 0n);
      assert.ok(counted.length > 20, 'rule counters from iptables-save -c are read');
      const dumpLines = new Set(printSave(rs).split('\n'));
      const alone = printSave(await kubeProxyAlone(version)).split('\n').filter((l) => l.startsWith('-A '));
      for (const l of alone) assert.ok(dumpLines.has(l), `missing kube-proxy rule: ${l}`);
    });

    for (const probe of PROBES) {
      it(`${probe.name}: the same endpoints, odds and masquerade decision as kube-proxy's rules alone`, async () => {
        const alone = traceOn(await kubeProxyAlone(version), probe.packet);
        const mixed = traceOn(rs, probe.packet);
        assert.deepEqual(outcome(mixed), outcome(alone));
        assert.equal(alone.masquerade, probe.masquerade);
        assert.equal(mixed.masquerade, probe.masquerade);
        assert.equal(mixed.masqueradeShare, alone.masqueradeShare);
      });
    }
  });
}

describe('what the other software decides', () => {
  it("Flannel masquerades a pod's connection to the internet; Docker's FORWARD policy DROP does not stop it (FLANNEL-FWD accepts)", async () => {
    const r = traceOn(dump('kubeadm-1.20-flannel-docker.save'), { destination: '1.1.1.1', destinationPort: 443 });
    assert.equal(r.verdict, 'ACCEPT');
    assert.equal(r.masquerade, true);
    assert.ok(r.paths[0]!.steps.some((s) => s.rule === '-A FLANNEL-FWD -s 10.254.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT'));
    assert.ok(r.paths[0]!.steps.some((s) => s.effect?.startsWith('MASQUERADE') && s.chain === 'FLANNEL-POSTRTG'));
    // kube-proxy alone: nothing to do with it
    assert.equal(traceOn(await kubeProxyAlone('1.20'), { destination: '1.1.1.1', destinationPort: 443 }).masquerade, false);
  });

  it('without FLANNEL-FWD, Docker\'s FORWARD policy would drop it: the policy step decides', () => {
    const text = readFileSync(join(FIXTURES, 'trace', 'kubeadm-1.20-flannel-docker.save'), 'utf8').replace(/^.*-A FORWARD .*FLANNEL-FWD\n/m, '');
    const r = traceOn(parseRuleset(text), { destination: '1.1.1.1', destinationPort: 443 });
    assert.equal(r.verdict, 'DROP');
    assert.equal(r.paths[0]!.steps.at(-1)!.rule, ':FORWARD DROP');
  });

  it("Calico's outgoing NAT depends on ipsets the dump does not hold: taken as not a member, and said so", () => {
    const r = traceOn(dump('kubeadm-1.28-calico.save'), { destination: '1.1.1.1', destinationPort: 443 });
    assert.equal(r.masquerade, false);
    assert.ok(r.paths[0]!.assumed.some((a) => a.includes('--match-set cali40masq-ipam-pools')));
    assert.ok(r.paths[0]!.assumed.some((a) => a.includes('-o tunl0')), 'the outgoing interface is unknown');
  });
});
