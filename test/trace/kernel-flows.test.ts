// kube-proxy's packet-flow tables (pkg/proxy/iptables/proxier_test.go, ported to
// test/fixtures/proxy/flows) played with real packets: for every fixture, the rules svctrace
// renders (save form) go into the lab's node with the real iptables-restore, every flow is sent
// as new TCP connections or UDP datagrams from a namespace owning its source address, and
//   - the tracer, on the same rules text, must say what the kernel did: the same endpoints with
//     shares binomially consistent with its path probabilities, masquerade per path as the
//     source address the endpoint saw, REJECT as a refused connection, DROP as silence, ACCEPT
//     as the packet arriving unchanged;
//   - the kernel must do what kube-proxy's test expects (the same endpoints, masquerade where it
//     says so), which checks the lab itself against a third opinion.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { FIXTURES, loadScenario, type ScenarioFixture } from '../proxy/support/fake-proxier.js';
import { KUBE_PROXY_PREREQS } from '../helpers/kernel.js';
import { normalHostPort, outcomeCounts } from '../helpers/netlab-compare.js';
import { fixtureScenario } from '../helpers/netlab-kube-proxy.js';
import { Plays } from '../helpers/netlab-play.js';
import { planLab } from '../helpers/netlab-spec.js';
import { playAgainstTrace, type TracedProbe } from '../helpers/netlab-trace.js';
import { assertNoLabLeft, removeStaleLabs } from '../helpers/netlab.js';
import { needs } from '../helpers/prereq.js';

// At least this many sends per flow (more when the trace has less likely paths), so that an
// endpoint kube-proxy expects but the kernel never picks is noticed (two at 1/2: miss 2^-23).
// ALPHA: the chance that a right trace fails one flow's check (about 200 flows: < 1e-6 a run).
const RUN = { backend: 'nft', alpha: 1e-9, minSends: 24, maxSends: 2000 } as const;

type Flow = NonNullable<ScenarioFixture['flows']>[number];

/** kube-proxy's expected output as lab outcomes ("" = no rule matched: the packet goes on unchanged). */
function expectedOutcomes(flow: Flow): string[] {
  if (flow.output === '' || flow.output === 'ACCEPT') return ['ACCEPT'];
  if (flow.output === 'DROP' || flow.output === 'REJECT') return [flow.output];
  return flow.output.split(', ').map((o) => `DNAT ${normalHostPort(o)}${flow.masq ? ' masqueraded' : ''}`).sort();
}

const probeOf = (flow: Flow): TracedProbe => ({ name: flow.name, source: flow.sourceIP, destination: flow.destIP, port: flow.destPort, protocol: (flow.protocol ?? 'tcp') as TracedProbe['protocol'] });

// Flows the lab cannot play (checked below, so that the list cannot grow unnoticed): Node.js has
// no SCTP sockets; a client cannot send to its own address through the node.
const UNPLAYABLE = [
  'TestClusterIPGeneral/clusterIP with TCP, UDP, and SCTP on same port (SCTP)',
  'TestLoadBalancer/same node to LB1, SNATted to LB1 (implicitly allowed)',
  'TestLoadBalancer/same node to LB2, SNATted to LB2 (implicitly allowed)',
];

const flowsDir = join(FIXTURES, 'proxy', 'flows');
// trace-packet.yaml is kube-proxy's tracer self-test on a hand-written partial payload, not rules kube-proxy writes.
const fixtures = readdirSync(flowsDir)
  .filter((n) => n.endsWith('.yaml'))
  .sort()
  .map((n) => loadScenario(join('flows', n)))
  .filter((f) => !(f as { payload?: string }).payload);

before(removeStaleLabs);
const plays = new Plays();

describe('kube-proxy packet flows in the kernel (nft backend)', () => {
  const unplayable: { flow: string; why: string }[] = [];

  for (const f of fixtures) {
    const flows = f.flows ?? [];
    const probes = flows.map(probeOf);
    const scenario = fixtureScenario(f, probes);
    const plan = planLab(scenario);
    for (const [i, why] of plan.unplayable) unplayable.push({ flow: `${f.test}/${flows[i]!.name}`, why });

    describe(f.test, () => {
      const played = plays.add(() => playAgainstTrace(scenario, probes, RUN));
      flows.forEach((flow, i) => {
        if (plan.unplayable.has(i)) return;
        const expected = expectedOutcomes(flow);
        const packet = `${flow.protocol ?? 'tcp'} ${flow.sourceIP} -> ${flow.destIP}:${flow.destPort}`;
        it(`${flow.name}: the trace of ${packet} says what the kernel does`, async (t) => {
          if (!needs(t, ...KUBE_PROXY_PREREQS)) return;
          const v = (await played()).verdicts[i]!;
          assert.ok(v.comparison.ok, v.comparison.report);
        });
        it(`${flow.name}: the kernel gives ${packet} kube-proxy's expected ${expected.join(', ')}`, async (t) => {
          if (!needs(t, ...KUBE_PROXY_PREREQS)) return;
          const kernel = (await played()).verdicts[i]!.kernel;
          assert.deepEqual([...outcomeCounts(kernel).keys()].sort(), expected, `kernel outcomes over ${kernel.length} sends: ${JSON.stringify(Object.fromEntries(outcomeCounts(kernel)))}`);
        });
      });
    });
  }

  it('plays every flow but the known few', () => {
    assert.deepEqual(unplayable.map((u) => u.flow).sort(), [...UNPLAYABLE].sort(), unplayable.map((u) => `${u.flow}: ${u.why}`).join('\n'));
  });
});

describe('the lab', () => {
  it('leaves no network namespace behind', async (t) => {
    if (!needs(t, ...KUBE_PROXY_PREREQS)) return;
    await plays.settled();
    assertNoLabLeft();
  });
});
