// The kernel is the judge of the tracer: real packets through the rules svctrace renders, in
// the packet lab (test/helpers/netlab.ts, docs/testing.md), against tracePacket on the same
// rules text. For every probe the kernel's outcomes over n new connections (which endpoint
// answered, the source address it saw, refused, silence, or the original destination reached
// unchanged) must be binomially consistent with the trace's paths, so that endpoints, masquerade
// per path, REJECT, DROP, ACCEPT and each endpoint's share are all checked.
//   - the demo cluster's worker0 (`svctrace --demo rules -A`): kube-proxy 1.16 (the seed's,
//     0.33332999982) on both iptables backends and the newest profile (its nfacct matches
//     count into the counters the lab's node holds); from a pod, an endpoint (hairpin), the
//     LAN, the node and localhost, to ClusterIPs and the NodePort 32291;
//   - test/fixtures/netlab: UDP, five endpoints, IPv6, ClientIP session affinity, and LB source
//     ranges / Local policy / no endpoints in the eras whose rules differ (1.16, 1.20, 1.24, 1.25).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { runCli } from '../../src/cli/main.js';
import { FIXTURES, type ScenarioFixture } from '../proxy/support/fake-proxier.js';
import { KUBE_PROXY_PREREQS, type Backend } from '../helpers/kernel.js';
import { canonical, hostInCidr } from '../helpers/netlab-addr.js';
import { compareShares, outcomeCounts, pathShares, type ObservablePath } from '../helpers/netlab-compare.js';
import { fixtureScenario } from '../helpers/netlab-kube-proxy.js';
import { Plays, probeEach } from '../helpers/netlab-play.js';
import type { LabScenario } from '../helpers/netlab-spec.js';
import { playAgainstTrace, traceProbe, tracePaths, type ProbeVerdict, type RunOptions, type TracedProbe } from '../helpers/netlab-trace.js';
import { assertNoLabLeft, removeStaleLabs } from '../helpers/netlab.js';
import { needs } from '../helpers/prereq.js';

// ALPHA: the chance that a right trace fails one probe's check (well under 1e-6 for the run).
const RUN: Omit<RunOptions, 'backend'> = { alpha: 1e-9, minSends: 24, maxSends: 3000 };

before(removeStaleLabs);
const plays = new Plays();

/** One `it` per probe: the kernel's outcomes against the trace's paths. */
function compareEach(played: () => Promise<{ verdicts: (ProbeVerdict | undefined)[]; unplayable: ReadonlyMap<number, string> }>, probes: readonly TracedProbe[]): void {
  probes.forEach((p, i) => {
    it(`${p.name}: ${p.protocol} ${p.source} -> ${p.destination}:${p.port}`, async (t) => {
      if (!needs(t, ...KUBE_PROXY_PREREQS)) return;
      const r = await played();
      assert.ok(!r.unplayable.has(i), `the lab cannot play it: ${r.unplayable.get(i)}`);
      const v = r.verdicts[i]!;
      assert.ok(v.comparison.ok, v.comparison.report);
    });
  });
}

// ---- the demo cluster: worker0.ocp4.labs.semperti.local, 10.252.7.235 --------------------------

const WORKER0 = 'worker0.ocp4.labs.semperti.local';
const POD = '10.254.4.50'; // a pod on worker0 (its pod subnet is 10.254.4.0/23, gateway 10.254.4.1)
const LAN = '10.252.7.10'; // a machine on the node's subnet
const NODE = '10.252.7.235';

const DEMO_PROBES: TracedProbe[] = [
  // 1.16: the first rule of the chain carries 0.33332999982; enough connections for the shares.
  { name: 'pod to test-services ClusterIP (three endpoints)', source: POD, destination: '172.30.85.132', port: 8080, protocol: 'tcp', sends: 1200 },
  { name: 'endpoint to its own service (hairpin)', source: '10.254.4.24', destination: '172.30.85.132', port: 8080, protocol: 'tcp', sends: 120 },
  { name: 'LAN client to test-services ClusterIP', source: LAN, destination: '172.30.85.132', port: 8080, protocol: 'tcp' },
  { name: 'node to test-services ClusterIP', source: NODE, destination: '172.30.85.132', port: 8080, protocol: 'tcp' },
  { name: 'pod to test-nodeport ClusterIP', source: POD, destination: '172.30.191.202', port: 8080, protocol: 'tcp' },
  { name: 'pod to the NodePort', source: POD, destination: NODE, port: 32291, protocol: 'tcp' },
  { name: 'LAN client to the NodePort', source: LAN, destination: NODE, port: 32291, protocol: 'tcp', sends: 600 },
  { name: 'node to its own NodePort', source: NODE, destination: NODE, port: 32291, protocol: 'tcp' },
  { name: 'localhost NodePort on the node', source: '127.0.0.1', destination: '127.0.0.1', port: 32291, protocol: 'tcp' },
  { name: 'pod to postgresql (one endpoint)', source: POD, destination: '172.30.194.95', port: 5432, protocol: 'tcp' },
  { name: 'LAN client to test-loadbalancer NodePort (endpoint in cluster B)', source: LAN, destination: NODE, port: 30927, protocol: 'tcp' },
  { name: 'pod to a port the ClusterIP does not serve (no rule: unchanged)', source: POD, destination: '172.30.85.132', port: 8443, protocol: 'tcp' },
  { name: 'pod to the ClusterIP over UDP (TCP-only service: unchanged)', source: POD, destination: '172.30.85.132', port: 8080, protocol: 'udp' },
  { name: 'pod to another pod directly (no NAT)', source: POD, destination: '10.254.5.61', port: 8080, protocol: 'tcp' },
  { name: 'LAN client to a node port no service has (delivered to the node)', source: LAN, destination: NODE, port: 32292, protocol: 'tcp' },
];

/** `--proxy-version` for a profile (none: the newest, svctrace's default). */
const versionFlag = (version: string | undefined) => (version ? ['--proxy-version', version] : []);

/**
 * What `svctrace --demo rules -A --node worker0 --format save` prints for that profile. The
 * newest profile's output counts packets with `-m nfacct` (KUBE-FORWARD's INVALID drop and the
 * localhost NodePort rules): the lab's node holds the counters kube-proxy creates.
 */
async function demoRules(version: string | undefined): Promise<string> {
  const r = await runCli(['node', 'svctrace', '--demo', 'rules', '-A', '--node', WORKER0, '--format', 'save', ...versionFlag(version)], { env: {} });
  assert.equal(r.exitCode, 0, r.stderr);
  return r.stdout;
}

function demoScenario(text: string): LabScenario {
  return { rules: [{ family: 'ipv4', text }], nodeAddresses: [`${NODE}/24`], podCidrs: ['10.254.0.0/16'], podGateways: ['10.254.4.1'], probes: [] };
}

for (const [version, backend] of [['1.16', 'nft'], ['1.16', 'legacy'], [undefined, 'nft']] as const) {
  describe(`demo cluster, ${WORKER0}, kube-proxy ${version ?? 'newest profile'}, iptables ${backend}`, () => {
    const played = plays.add(async () => {
      const text = await demoRules(version);
      if (!version) assert.match(text, /-m nfacct --nfacct-name {2}localhost_nps_accepted_pkts /, 'the newest profile counts localhost NodePort packets');
      return playAgainstTrace(demoScenario(text), DEMO_PROBES, { ...RUN, backend: backend as Backend }, async (lab) => ({
        dump: lab.dump({ backend: backend as Backend, family: 'ipv4' }),
        counted: lab.nfacctPackets(),
      }));
    });
    compareEach(played, DEMO_PROBES);

    if (!version) {
      it('the kernel counts into localhost_nps_accepted_pkts exactly the connections whose trace passes the nfacct rule', async (t) => {
        if (!needs(t, ...KUBE_PROXY_PREREQS)) return;
        const r = await played();
        // nat sees a connection's first packet only: one count per connection whose paths all
        // pass a rule counting into the object, none for one whose paths pass none
        const counting = (path: { steps: readonly { rule: string }[] }) => path.steps.some((s) => s.rule.includes(' -m nfacct --nfacct-name  localhost_nps_accepted_pkts '));
        let expected = 0;
        r.verdicts.forEach((v, i) => {
          if (!v) return;
          const passes = v.trace.paths.map(counting);
          assert.ok(passes.every((x) => x === passes[0]), `${DEMO_PROBES[i]!.name}: only some paths pass the nfacct rule\n${tracePaths(v.trace)}`);
          if (passes[0]) expected += v.kernel.length;
        });
        assert.ok(expected > 0, 'a probe goes through the localhost NodePort rule');
        assert.equal(r.extra!.counted.get('localhost_nps_accepted_pkts'), expected);
      });
    }

    if (backend === 'nft') {
      // The command a user runs, end to end: its -o json paths against the same kernel outcomes
      // (in the newest profile also from localhost, through the nfacct-counted NodePort rule).
      for (const i of version ? [0, 2, 3, 6] : [0, 2, 3, 6, 8]) {
        const p = DEMO_PROBES[i]!;
        it(`svctrace --demo trace --from ${p.source} --to ${p.destination}:${p.port} -o json says what the kernel does`, async (t) => {
          if (!needs(t, ...KUBE_PROXY_PREREQS)) return;
          const r = await played();
          const cli = await runCli(['node', 'svctrace', '--demo', 'trace', '--node', WORKER0, ...versionFlag(version), '--from', p.source, '--to', `${p.destination}:${p.port}`, '-o', 'json'], { env: {} });
          assert.equal(cli.exitCode, 0, cli.stderr);
          const doc = JSON.parse(cli.stdout) as { paths: ObservablePath[] };
          const c = compareShares(`svctrace trace, ${p.name}`, r.verdicts[i]!.kernel, pathShares(doc.paths), RUN.alpha);
          assert.ok(c.ok, c.report);
        });
      }
    }

    if (version === '1.16') {
      it('the trace gives the first endpoint exactly the share the kernel stores (round(0.33333 * 2^31) / 2^31)', async (t) => {
        if (!needs(t, ...KUBE_PROXY_PREREQS)) return;
        const r = await played();
        // iptables-save prints the kernel's u32 threshold over 2^31 with 11 decimals: enough to recover it.
        const line = r.extra!.dump.get('nat')!.split('\n').find((l) => l.startsWith('-A KUBE-SVC-GIGN3HAIPPOO23F3 ') && l.includes('--probability'));
        assert.ok(line, 'the kernel holds the statistic rule');
        const printed = Number(/--probability (\S+)/.exec(line)![1]);
        assert.equal(printed, 0.33332999982);
        const threshold = Math.round(printed * 2 ** 31);
        const first = r.verdicts[0]!.trace.paths.find((p) => p.destination === '10.254.4.24:8080');
        assert.equal(first?.probability, threshold / 2 ** 31, tracePaths(r.verdicts[0]!.trace));
      });
    }
  });
}

// ---- scenarios of test/fixtures/netlab, in kube-proxy's test world -----------------------------

interface LabFixture extends ScenarioFixture {
  probes: TracedProbe[];
  /** play it with each of these profiles (default: profile) */
  profiles?: string[];
  affinity?: { firstClient: string; clients: number; repeat: number; destination: string; port: number };
}

const loadLabFixture = (name: string): LabFixture => parse(readFileSync(join(FIXTURES, 'netlab', name), 'utf8')) as LabFixture;

for (const name of ['udp.yaml', 'five-endpoints.yaml', 'ipv6.yaml', 'eras.yaml']) {
  const loaded = loadLabFixture(name);
  for (const profile of loaded.profiles ?? [loaded.profile]) {
    const f = { ...loaded, profile };
    describe(`${f.test} (kube-proxy ${f.profile}, iptables nft)`, () => {
      const played = plays.add(() => playAgainstTrace(fixtureScenario(f, f.probes), f.probes, { ...RUN, backend: 'nft' }));
      compareEach(played, f.probes);
    });
  }
}

describe('ClientIP session affinity (kube-proxy 1.33, iptables nft)', () => {
  const f = loadLabFixture('session-affinity.yaml');
  const a = f.affinity!;
  const clients = Array.from({ length: a.clients }, (_, i) => hostInCidr(`${a.firstClient}/32`, i));
  const toService = (source: string): TracedProbe => ({ name: `client ${source}`, source, destination: a.destination, port: a.port, protocol: 'tcp' });
  const played = plays.add(() =>
    playAgainstTrace({ ...fixtureScenario(f, f.probes), extraExternalClients: clients }, f.probes, { ...RUN, backend: 'nft' }, async (lab, rules, localAddresses) => {
      const probes = clients.map(toService);
      // Round 1: one connection from each client (each new to the kernel), all at once.
      const first = (await probeEach(lab, probes, probes.map(() => 1))).map((o) => o[0]!);
      // Round 2: more connections from each, after the kernel has recorded them.
      const again = await probeEach(lab, probes, probes.map(() => a.repeat));
      return { first, again, lists: lab.recentLists(), trace: (p: TracedProbe) => traceProbe(rules, p, localAddresses) };
    }),
  );
  compareEach(played, f.probes);

  it(`new clients: the first connection of each of ${a.clients} clients follows the trace's "new" split`, async (t) => {
    if (!needs(t, ...KUBE_PROXY_PREREQS)) return;
    const { extra } = await played();
    const trace = extra!.trace({ ...toService(clients[0]!), trace: { affinity: 'new' } });
    const c = compareShares(`first connections to ${a.destination}:${a.port}`, extra!.first, pathShares(trace.paths), RUN.alpha);
    assert.ok(c.ok, `${c.report}\ntrace:\n${tracePaths(trace)}`);
  });

  it('every client sticks to the endpoint of its first connection, as the "pinned" trace allows', async (t) => {
    if (!needs(t, ...KUBE_PROXY_PREREQS)) return;
    const { extra } = await played();
    const pinned = extra!.trace({ ...toService(clients[0]!), trace: { affinity: 'pinned' } });
    const allowed = new Set(pathShares(pinned.paths).keys());
    clients.forEach((client, i) => {
      const seen = [...outcomeCounts(extra!.again[i]!).keys()];
      assert.deepEqual(seen, [extra!.first[i]!], `client ${client}: first ${extra!.first[i]}, then ${JSON.stringify(Object.fromEntries(outcomeCounts(extra!.again[i]!)))}`);
      assert.ok(allowed.has(extra!.first[i]!), `client ${client} pinned to ${extra!.first[i]}, which the pinned trace does not give:\n${tracePaths(pinned)}`);
    });
    // pinned to one list of the chain, each equally likely: the clients' endpoints are spread so
    const c = compareShares('endpoints the clients are pinned to', extra!.first, pathShares(pinned.paths), RUN.alpha);
    assert.ok(c.ok, `${c.report}\npinned trace:\n${tracePaths(pinned)}`);
  });

  it("traced with the recent lists the kernel holds for a client, the trace gives that client's endpoint alone", async (t) => {
    if (!needs(t, ...KUBE_PROXY_PREREQS)) return;
    const { extra } = await played();
    clients.forEach((client, i) => {
      const lists = [...extra!.lists].filter(([, members]) => members.includes(canonical(client))).map(([name]) => name);
      assert.equal(lists.length, 1, `client ${client} is in the kernel's recent lists ${JSON.stringify(lists)}`);
      const trace = extra!.trace({ ...toService(client), trace: { recentLists: lists } });
      assert.deepEqual([...pathShares(trace.paths)], [[extra!.first[i]!, 1]], `client ${client} in ${lists[0]}, kernel: ${extra!.first[i]}\ntrace:\n${tracePaths(trace)}`);
    });
  });
});

describe('the lab', () => {
  it('leaves no network namespace behind', async (t) => {
    if (!needs(t, ...KUBE_PROXY_PREREQS)) return;
    await plays.settled();
    assertNoLabLeft();
  });
});
