// kube-proxy's packet-flow tables (pkg/proxy/iptables/proxier_test.go, ~v1.33, ported in
// test/fixtures/proxy/flows/) through svctrace's real pipeline: render the test's objects with
// the test's fake proxier, print the node's iptables-save form (baseline jumps + payload),
// parse it back, and trace. Upstream's tracer is simpler (it starts at nat KUBE-SERVICES, runs
// four filter chains directly, never matches marks or conntrack state, and joins every
// endpoint it meets into one output); its expectations map onto the richer result so:
//   output "a:p, b:p"  -> verdict DNAT, destinations = {a:p, b:p} (each path one endpoint)
//   output "DROP"      -> verdict DROP;  "REJECT" -> verdict REJECT
//   output "ACCEPT"    -> verdict ACCEPT through a rule's ACCEPT target (health check ports)
//   output ""          -> verdict ACCEPT with no rule of kube-proxy's chains deciding it
//   masq true/false    -> result.masquerade (MASQUERADE reached in nat POSTROUTING)
// Upstream's masq flag is "KUBE-MARK-MASQ was matched"; here masquerading must really happen,
// which needs the mark to survive to POSTROUTING and the path to be forwarded or sent.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { applyRestore, emptyRuleset, parseRuleset, printSave, type Ruleset } from '../../src/netfilter/index.js';
import { tracePacket, type TraceResult } from '../../src/netfilter/trace.js';
import type { ProxyConfig } from '../../src/proxy/config.js';
import { nodeBaseline } from '../../src/proxy/node-baseline.js';
import { nodeRuleset } from '../../src/proxy/node-rules.js';
import { parseProxyVersion } from '../../src/proxy/profiles.js';
import { renderNode } from '../../src/proxy/render.js';
import { FIXTURES, fakeProxierConfig, loadScenario, snapshotOf, type ScenarioFixture } from '../proxy/support/fake-proxier.js';

/** The node's tables as iptables-save prints them, read back by the dump parser. */
function nodeDump(f: ScenarioFixture & { payload?: string }, config: ProxyConfig): Ruleset {
  const family = f.family ?? 4;
  let state: Ruleset;
  if (f.payload !== undefined) {
    // TestTracePacket's static rules: its payload applied onto the era's node baseline.
    const fam = family === 4 ? 'ipv4' : 'ipv6';
    const baseline = parseRuleset(nodeBaseline(parseProxyVersion(f.profile).switches, family).restore, { family: fam });
    state = applyRestore(applyRestore(emptyRuleset(fam, ['mangle', 'filter', 'nat']), baseline, { noflush: true }), parseRuleset(f.payload, { family: fam }), { noflush: true });
  } else {
    const render = renderNode(snapshotOf(f.objects), config).families.find((x) => x.family === family);
    assert.ok(render, `no IPv${family} rules rendered`);
    state = nodeRuleset(render, config.profile.switches);
  }
  return parseRuleset(printSave(state), { source: 'iptables-save', strict: true });
}

const KUBE_ACCEPT = /^-A KUBE-[A-Z-]+ .*-j ACCEPT$/;

function explain(r: TraceResult): string {
  return r.paths.map((p) => `${p.verdict} ${p.destination ?? ''} masq=${p.masquerade}\n  ${p.steps.map((s) => `${s.table} ${s.rule}`).join('\n  ')}`).join('\n');
}

describe('kube-proxy packet-flow tables through render -> iptables-save -> parse -> trace', () => {
  const dir = join(FIXTURES, 'proxy', 'flows');
  const files = readdirSync(dir).filter((n) => n.endsWith('.yaml')).sort();
  it('covers the 31 ported cases', () => assert.equal(files.length, 31));
  for (const file of files) {
    const f = loadScenario(join('flows', file)) as ScenarioFixture & { payload?: string };
    describe(`${f.test} (${file})`, () => {
      // the fake proxier's node addresses are the node's own for the trace too
      const config = fakeProxierConfig({ era: f.era, version: f.profile, ...(f.fakeProxier ?? {}) });
      const ruleset = nodeDump(f, config);
      for (const flow of f.flows ?? []) {
        const family = flow.destIP.includes(':') ? 'ipv6' : 'ipv4';
        it(`${flow.name}: ${flow.sourceIP} -> ${flow.destIP}:${flow.destPort} gives "${flow.output}"${flow.masq ? ', masqueraded' : ''}`, () => {
          const r = tracePacket(
            ruleset,
            { family, source: flow.sourceIP, destination: flow.destIP, protocol: (flow.protocol ?? 'tcp') as 'tcp', destinationPort: flow.destPort },
            { localAddresses: config.nodeIPs.filter((a) => a.includes(':') === (family === 'ipv6')) },
          );
          const why = explain(r);
          const total = r.paths.reduce((n, p) => n + p.probability, 0);
          assert.ok(Math.abs(total - 1) < 1e-12, `probabilities sum to ${total}`);
          if (flow.output === 'DROP' || flow.output === 'REJECT') {
            assert.equal(r.verdict, flow.output, why);
          } else if (flow.output === 'ACCEPT') {
            assert.equal(r.verdict, 'ACCEPT', why);
            assert.ok(r.paths.every((p) => p.steps.some((s) => KUBE_ACCEPT.test(s.rule))), `a kube-proxy rule accepts:\n${why}`);
          } else if (flow.output === '') {
            assert.equal(r.verdict, 'ACCEPT', why);
            assert.ok(r.paths.every((p) => !p.steps.some((s) => KUBE_ACCEPT.test(s.rule))), `no kube-proxy rule decides:\n${why}`);
          } else {
            const expected = flow.output.split(', ').sort();
            assert.equal(r.verdict, 'DNAT', why);
            assert.deepEqual([...r.destinations].sort(), expected, why);
            // upstream collects every endpoint of a balancing chain: each is one of our paths
            assert.equal(r.paths.length, expected.length, why);
          }
          assert.equal(r.masquerade, flow.masq ?? false, `masquerade:\n${why}`);
          if (flow.masq) {
            // only a hairpin (the client is one of the endpoints) is masqueraded on some paths alone
            const hairpin = r.destinations.some((d) => d.replace(/^\[?(.*?)\]?:\d+$/, '$1') === flow.sourceIP);
            if (!hairpin) assert.equal(r.masqueradeShare, 1, why);
          }
        });
      }
    });
  }
});
