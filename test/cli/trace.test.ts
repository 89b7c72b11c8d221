// `svctrace trace` end to end (in-process runCli). Expectations come from the walkthrough
// (shared/seed: the three endpoints of test-services/django-psql-example at 1/3 each, "50% of
// the remaining" odds, the NodePort 32291 answering on 10.252.7.235, masquerading of traffic
// from outside the pod network) and from the kernel's statistic threshold round(p * 2^31) / 2^31.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse as parseYAML } from 'yaml';
import { syntheticCluster } from '../../bench/synthetic-cluster.js';
import { runCli } from '../../src/cli/main.js';
import { parseFrom, parseIP, parseTo } from '../../src/cli/trace-target.js';
import { FIXTURES } from '../proxy/support/fake-proxier.js';

const WORKER0 = 'worker0.ocp4.labs.semperti.local';
const run = (args: string[], io: { isTTY?: boolean; env?: Record<string, string> } = {}) =>
  runCli(['node', 'svctrace', ...args], { env: { KUBECONFIG: '/nonexistent/kubeconfig', HOME: '/nonexistent', ...(io.env ?? {}) }, isTTY: io.isTTY ?? false });
const demo = (args: string[], io?: { isTTY?: boolean; env?: Record<string, string> }) => run(['--demo', 'trace', '--node', WORKER0, ...args], io);

interface Doc {
  packet: { from: string; to: string; port: number; protocol: string; node: string | null; hook: string };
  verdict: string;
  destinations: string[];
  masquerade: boolean;
  paths: Array<{ probability: number; verdict: string; destination?: string; masquerade: boolean; steps: Array<{ table: string; chain: string; rule: string; branch: number }>; odds: string; endpoint?: { pod?: string; node?: string } }>;
  masqueradeShare: number;
  notes: string[];
}

async function json(args: string[]): Promise<Doc> {
  const r = await demo([...args, '-o', 'json']);
  assert.equal(r.exitCode, 0, r.stderr);
  return JSON.parse(r.stdout) as Doc;
}

const WALKTHROUGH = ['10.254.4.24:8080', '10.254.5.61:8080', '10.254.5.66:8080'];

describe('svctrace --demo trace: the walkthrough', () => {
  it('172.30.85.132:8080 from a pod on worker0: DNAT to the three pods at 1/3 each, as the kernel rounds them (newest profile)', async () => {
    const d = await json(['--to', '172.30.85.132:8080']);
    assert.equal(d.verdict, 'DNAT');
    assert.deepEqual(d.destinations, WALKTHROUGH);
    // 0.3333333333 -> 715827883/2^31; the other two halve the rest
    assert.deepEqual(d.paths.map((p) => p.probability.toFixed(11)), ['0.33333333349', '0.33333333326', '0.33333333326']);
    assert.deepEqual(d.paths.map((p) => p.odds), ['715827883/2147483648', '1431655765/4294967296', '1431655765/4294967296']);
    assert.equal(d.masquerade, false);
    assert.equal(d.packet.hook, 'PREROUTING');
    assert.match(d.packet.from, /^10\.254\.4\.\d+$/, 'a pod address on worker0 (its pods are 10.254.4.x)');
    assert.ok(d.notes.some((n) => n.includes('a pod on worker0.ocp4.labs.semperti.local')), 'says how the source was chosen');
  });

  it('--proxy-version 1.16: the walkthrough\'s 0.33332999982, then half of the remaining each', async () => {
    const d = await json(['--to', '172.30.85.132:8080', '--proxy-version', '1.16']);
    assert.deepEqual(d.destinations, WALKTHROUGH);
    assert.deepEqual(d.paths.map((p) => p.probability.toFixed(11)), ['0.33332999982', '0.33333500009', '0.33333500009']);
    assert.ok(d.paths[0]!.steps.some((s) => s.rule === '-A KUBE-SVC-GIGN3HAIPPOO23F3 -m statistic --mode random --probability 0.33332999982 -j KUBE-SEP-7ANA7OTZZO5QKVWN'));
  });

  it('from outside the pod network every path is masqueraded, the mark set by the "! -s 10.254.0.0/16" rule', async () => {
    const d = await json(['--to', '172.30.85.132:8080', '--from', '10.252.7.1', '--proxy-version', '1.16']);
    assert.deepEqual(d.destinations, WALKTHROUGH);
    assert.equal(d.masquerade, true);
    assert.equal(d.masqueradeShare, 1);
    assert.ok(d.paths.every((p) => p.masquerade));
    const text = (await demo(['--to', '172.30.85.132:8080', '--from', '10.252.7.1', '--proxy-version', '1.16'])).stdout;
    assert.ok(text.includes('mark 0x4000 set by -A KUBE-SERVICES ! -s 10.254.0.0/16 -d 172.30.85.132/32 -p tcp -m comment --comment "test-services/django-psql-example:web cluster IP" -m tcp --dport 8080 -j KUBE-MARK-MASQ'), text);
  });

  it('the NodePort 10.252.7.235:32291 masquerades, from outside and from a pod', async () => {
    for (const from of [['--from', '10.252.7.1'], []]) {
      const d = await json(['--to', '10.252.7.235:32291', ...from]);
      assert.deepEqual(d.destinations, ['10.254.3.22:8080', '10.254.4.25:8080', '10.254.5.71:8080']);
      assert.equal(d.masquerade, true);
      assert.equal(d.masqueradeShare, 1);
    }
  });

  it('--from node enters at OUTPUT; --from pod/NAME traces on the pod\'s node, a hairpin masqueraded on its own path only', async () => {
    const node = await json(['--to', '172.30.85.132:8080', '--from', 'node']);
    assert.equal(node.packet.hook, 'OUTPUT');
    assert.equal(node.packet.from, '10.252.7.235');
    const r = await run(['--demo', 'trace', '--to', '172.30.85.132:8080', '--from', 'pod/django-psql-example-1-hhng7', '-n', 'test-services', '-o', 'json']);
    const d = JSON.parse(r.stdout) as Doc;
    assert.equal(d.packet.from, '10.254.5.61');
    assert.equal(d.packet.node, 'worker2.ocp4.labs.semperti.local');
    assert.deepEqual(d.paths.map((p) => [p.destination, p.masquerade]), [['10.254.4.24:8080', false], ['10.254.5.61:8080', true], ['10.254.5.66:8080', false]]);
    assert.ok(Math.abs(d.masqueradeShare - 1 / 3) < 1e-9);
  });

  it('svc/NAME, svc/NAME:PORT and NAME.NS.svc.cluster.local:PORT resolve to the cluster IP and port', async () => {
    for (const to of ['svc/django-psql-example', 'svc/django-psql-example:web', 'svc/django-psql-example:8080', 'django-psql-example.test-services.svc.cluster.local:web', 'django-psql-example.test-services.svc']) {
      const d = await json(['--to', to, '-n', 'test-services']);
      assert.deepEqual([d.packet.to, d.packet.port, d.destinations], ['172.30.85.132', 8080, WALKTHROUGH], to);
    }
  });

  it('a packet to an address no rule knows passes unchanged: verdict ACCEPT, exit 0', async () => {
    const d = await json(['--to', '172.30.85.133:8080']);
    assert.equal(d.verdict, 'ACCEPT');
    assert.deepEqual(d.destinations, []);
    assert.equal(d.paths.length, 1);
  });
});

describe('-o json shape (DESIGN.md)', () => {
  it('keys in the documented order, probabilities and branches as numbers', async () => {
    const d = await json(['--to', '172.30.85.132:8080']);
    assert.deepEqual(Object.keys(d).slice(0, 5), ['packet', 'verdict', 'destinations', 'masquerade', 'paths']);
    assert.deepEqual(Object.keys(d.packet), ['from', 'to', 'port', 'protocol', 'node', 'hook']);
    assert.deepEqual([d.packet.port, d.packet.protocol, d.packet.node], [8080, 'tcp', WORKER0]);
    for (const p of d.paths) {
      assert.deepEqual(Object.keys(p).slice(0, 5), ['probability', 'verdict', 'destination', 'masquerade', 'steps']);
      assert.equal(typeof p.probability, 'number');
      for (const s of p.steps) {
        assert.deepEqual(Object.keys(s).slice(0, 4), ['table', 'chain', 'rule', 'branch']);
        assert.equal(typeof s.branch, 'number');
      }
    }
    assert.equal(d.paths[0]!.steps.find((s) => s.table === 'nat')!.rule, '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES');
    assert.deepEqual(d.paths[0]!.endpoint, { servicePort: 'test-services/django-psql-example:web', pod: 'test-services/django-psql-example-1-grddz', node: WORKER0 });
  });

  it('-o yaml holds the same document', async () => {
    const y = await demo(['--to', '172.30.85.132:8080', '-o', 'yaml']);
    const j = await demo(['--to', '172.30.85.132:8080', '-o', 'json']);
    assert.deepEqual(parseYAML(y.stdout), JSON.parse(j.stdout));
  });
});

describe('-o json of a service with 5000 endpoints', () => {
  interface Step { table: string; chain: string; rule: string; branch: number; skipped?: boolean; rules?: number; lastRule?: string }

  /** 2^e as a bigint's exponent, for a power of two. */
  const log2 = (d: bigint) => {
    const hex = d.toString(16);
    assert.match(hex, /^[1248]0*$/, 'a power of two: every kernel branch is k / 2^31');
    return (hex.length - 1) * 4 + Math.log2(parseInt(hex[0]!, 16));
  };

  it('prints every path; a run of more than 8 "not taken" rules is one step; branches multiply to the probability; exact odds only for paths behind at most 8 such rules', async () => {
    const n = 5000;
    const cluster = syntheticCluster({ services: 3, endpointsPerService: 2, lastServiceEndpoints: n });
    const svc = cluster.services.at(-1)!;
    const file = join(mkdtempSync(join(tmpdir(), 'svctrace-trace-')), 'cluster.json');
    writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [...cluster.nodes, ...cluster.services, ...cluster.endpointSlices, ...cluster.pods] }));
    const r = await run(['-f', file, 'trace', '--to', `svc/${svc.metadata!.name}`, '-n', svc.metadata!.namespace!, '--from', '10.128.200.1', '-o', 'json']);
    assert.equal(r.exitCode, 0, r.stderr);
    const d = JSON.parse(r.stdout) as Omit<Doc, 'paths'> & { paths: Array<{ probability: number; destination?: string; steps: Step[]; odds?: string }> };
    assert.equal(d.verdict, 'DNAT');
    assert.equal(d.paths.length, n);
    assert.equal(d.destinations.length, n);

    const taken = d.paths[0]!.steps.length;
    d.paths.forEach((p, k) => {
      // path k (from 0) fell through the k balancing rules before its own
      const skipped = p.steps.filter((s) => s.skipped);
      if (k <= 8) {
        assert.equal(skipped.length, k, `path ${k}`);
        assert.ok(skipped.every((s) => s.rules === undefined), `path ${k}: a run of ${k} is written rule by rule`);
      } else {
        assert.equal(skipped.length, 1, `path ${k}: its run is one step`);
        const run = skipped[0]!;
        assert.equal(run.rules, k);
        assert.match(run.chain, /^KUBE-SVC-/);
        assert.match(run.rule, / --probability 0\.00020000013 /); // the first balancing rule: 1/5000, round(2^31 / 5000) / 2^31 in the kernel
        assert.match(run.lastRule!, new RegExp(`^-A ${run.chain} .* --probability \\S+ -j KUBE-SEP-`));
      }
      assert.equal(p.steps.length, taken + Math.min(k, 1) + (k <= 8 ? Math.max(k - 1, 0) : 0), `path ${k}: its taken steps and its run`);
      const product = p.steps.reduce((x, s) => x * s.branch, 1);
      assert.ok(Math.abs(product - p.probability) <= 1e-12 * p.probability, `path ${k}: branches ${product}, probability ${p.probability}`);
      if (k <= 8) {
        // the kernel's product for its position: the fall-through shares of the k rules before
        // its own, then its own threshold; kube-proxy writes %0.10f of 1/(n-j), the kernel keeps round(p * 2^31)
        const threshold = (m: number) => BigInt(Math.round(2 ** 31 * Number((1 / m).toFixed(10))));
        let product = 1n;
        for (let j = 0; j < k; j++) product *= (1n << 31n) - threshold(n - j);
        product *= threshold(n - k);
        const [num, den] = p.odds!.split('/').map(BigInt) as [bigint, bigint];
        assert.equal(num << BigInt(31 * (k + 1) - log2(den)), product, `path ${k}: odds ${p.odds}`);
      } else {
        assert.equal(p.odds, undefined, `path ${k}: behind ${k} rules, its exact odds are left out`);
      }
    });
    assert.equal(d.paths.at(-1)!.steps.find((s) => s.skipped)!.rules, n - 1);
  });
});

describe('the tree', () => {
  it('draws the walkthrough\'s odds: 33.3%, 50% of the remaining 66.7%, the remaining 33.3%; names pods and nodes; one-line verdict', async () => {
    const r = await demo(['--to', '172.30.85.132:8080', '--proxy-version', '1.16']);
    assert.equal(r.exitCode, 0, r.stderr);
    const out = r.stdout;
    assert.ok(out.includes('├─ 33.3% of new connections (probability 0.33332999982)\n'), out);
    assert.ok(out.includes('├─ 50% of the remaining 66.7% = 33.3% of new connections (probability 0.50000000000)\n'), out);
    assert.ok(out.includes('└─ the remaining 33.3% of new connections\n'), out);
    assert.ok(out.includes('→ DNAT to 10.254.5.61:8080 (pod test-services/django-psql-example-1-hhng7 on worker2.ocp4.labs.semperti.local)'), out);
    assert.ok(out.includes('# KUBE-SVC-GIGN3HAIPPOO23F3: service port test-services/django-psql-example:web (172.30.85.132:8080/TCP), 3 endpoints'), out);
    // 1.16's KUBE-POSTROUTING is one MASQUERADE rule for marked packets: this one is not marked
    assert.ok(out.includes('not masqueraded: no MASQUERADE or SNAT rule matched in nat POSTROUTING (mark 0x0)'), out);
    assert.match(out, /\nVerdict: DNAT to 3 endpoints, 33\.3% each: 10\.254\.4\.24:8080 \(pod test-services\/django-psql-example-1-grddz on worker0\.ocp4\.labs\.semperti\.local\), .*; not masqueraded\n/);
    assert.ok(!out.includes('\x1b['), 'no colour off a terminal');
  });

  it('colour on a terminal, none with NO_COLOR', async () => {
    assert.ok((await demo(['--to', '172.30.85.132:8080'], { isTTY: true })).stdout.includes('\x1b['));
    assert.ok(!(await demo(['--to', '172.30.85.132:8080'], { isTTY: true, env: { NO_COLOR: '1' } })).stdout.includes('\x1b['));
  });
});

describe('--iptables-save: a node dump, no cluster needed', () => {
  const calico = join(FIXTURES, 'trace', 'kubeadm-1.28-calico.save');

  it('traces an address with no -f, --demo or cluster (no live attempt), annotating chains from the dump\'s comments', async () => {
    const r = await run(['trace', '--iptables-save', calico, '--to', '172.30.85.132:8080', '--node-ip', '10.252.7.235', '--from', '10.254.4.2']);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.ok(r.stdout.includes('# KUBE-SEP-7ANA7OTZZO5QKVWN: endpoint 10.254.4.24:8080 of test-services/django-psql-example:web'), r.stdout);
    assert.match(r.stdout, /Verdict: DNAT to 3 endpoints, 33\.3% each: 10\.254\.4\.24:8080, 10\.254\.5\.61:8080, 10\.254\.5\.66:8080; not masqueraded/);
  });

  it('without --node-ip it says that addrtype LOCAL is judged by loopback only; without --from it picks a pod address from the dump\'s pod network', async () => {
    const r = await run(['trace', '--iptables-save', calico, '--to', '172.30.85.132:8080', '-o', 'json']);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stderr, /addrtype LOCAL is judged only by loopback/);
    const d = JSON.parse(r.stdout) as Doc;
    assert.match(d.packet.from, /^10\.254\./);
    assert.equal(d.packet.node, null);
    assert.ok(d.notes.some((n) => n.includes('from the dump\'s "! -s 10.254.0.0/16 ... -j KUBE-MARK-MASQ" rules')), d.notes.join('\n'));
  });

  it('with --demo, names resolve and endpoints are named by pod', async () => {
    const r = await run(['--demo', 'trace', '--iptables-save', calico, '--to', 'svc/django-psql-example', '-n', 'test-services', '--node', WORKER0]);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.ok(r.stdout.includes('(pod test-services/django-psql-example-1-xk5tb on worker2.ocp4.labs.semperti.local)'), r.stdout);
  });
});

describe('session affinity', () => {
  const dir = mkdtempSync(join(tmpdir(), 'svctrace-trace-'));
  const file = join(dir, 'affinity.yaml');
  writeFileSync(
    file,
    `apiVersion: v1
kind: Service
metadata: {name: sticky, namespace: default}
spec: {clusterIP: 172.30.9.9, sessionAffinity: ClientIP, ports: [{name: http, port: 80, protocol: TCP, targetPort: 8080}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: sticky-1, namespace: default, labels: {kubernetes.io/service-name: sticky}}
addressType: IPv4
endpoints: [{addresses: [10.1.0.5]}, {addresses: [10.1.0.6]}, {addresses: [10.1.0.7]}, {addresses: [10.1.0.8]}]
ports: [{name: http, port: 8080, protocol: TCP}]
`,
  );
  const trace = async (affinity: string) => {
    const r = await run(['-f', file, 'trace', '--to', '172.30.9.9:80', '--from', '10.1.9.9', '--cluster-cidr', '10.1.0.0/16', '--affinity', affinity, '-o', 'json']);
    assert.equal(r.exitCode, 0, r.stderr);
    return JSON.parse(r.stdout) as Doc;
  };

  it('a new client is balanced 1/4 each; a pinned one is on one endpoint, each equally likely', async () => {
    const fresh = await trace('new');
    assert.deepEqual(fresh.destinations, ['10.1.0.5:8080', '10.1.0.6:8080', '10.1.0.7:8080', '10.1.0.8:8080']);
    // 1/4, then 3/4 * round(2^31/3)/2^31, then half of the rest each
    assert.deepEqual(fresh.paths.map((p) => p.probability.toFixed(11)), ['0.25000000000', '0.25000000012', '0.24999999994', '0.24999999994']);
    const pinned = await trace('pinned');
    assert.deepEqual(pinned.paths.map((p) => p.probability), [0.25, 0.25, 0.25, 0.25]);
    assert.ok(pinned.paths.every((p) => p.steps.some((s) => s.rule.includes('--rcheck'))), 'each goes by its --rcheck rule');
  });

  it('--affinity pinned=IP:PORT: one path, to that endpoint', async () => {
    const d = await trace('pinned=10.1.0.7:8080');
    assert.deepEqual(d.paths.map((p) => [p.destination, p.probability]), [['10.1.0.7:8080', 1]]);
  });
});

describe('addresses in objects are read as Kubernetes reads them', () => {
  // ParseIPSloppy reads "172.30.0.041" as 172.30.0.41, and `rules` renders it so: trace must
  // resolve svc/NAME and pod/NAME to the same addresses (iptables' own parser refuses them).
  const dir = mkdtempSync(join(tmpdir(), 'svctrace-trace-'));
  const file = join(dir, 'leading-zeros.yaml');
  writeFileSync(
    file,
    `apiVersion: v1
kind: Service
metadata: {name: lz, namespace: default}
spec: {clusterIP: 172.30.0.041, ports: [{name: http, port: 80, protocol: TCP, targetPort: 8080}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: lz-1, namespace: default, labels: {kubernetes.io/service-name: lz}}
addressType: IPv4
endpoints: [{addresses: [10.1.0.5]}]
ports: [{name: http, port: 8080, protocol: TCP}]
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: default}
spec: {nodeName: n1}
status: {podIP: 10.1.0.09, podIPs: [{ip: 10.1.0.09}]}
`,
  );

  it('svc/NAME with a leading-zero cluster IP, from pod/NAME with a leading-zero pod IP', async () => {
    const r = await run(['-f', file, 'trace', '--to', 'svc/lz', '--from', 'pod/client', '-o', 'json']);
    assert.equal(r.exitCode, 0, r.stderr);
    const d = JSON.parse(r.stdout) as Doc;
    assert.deepEqual([d.packet.from, d.packet.to, d.verdict, d.destinations], ['10.1.0.9', '172.30.0.41', 'DNAT', ['10.1.0.5:8080']]);
  });
});

describe('addresses the user types (inet_pton, as the tracer reads a packet\'s)', () => {
  it('canonical text of either family; no leading zeros, no scope, no short forms', () => {
    assert.deepEqual(parseIP('10.254.4.24'), { address: '10.254.4.24', family: 'ipv4' });
    assert.deepEqual(parseIP('FD00:0::0001'), { address: 'fd00::1', family: 'ipv6' });
    assert.deepEqual(parseIP('::ffff:10.0.0.1'), { address: '::ffff:10.0.0.1', family: 'ipv6' });
    for (const bad of ['010.254.4.24', '10.254.4', '10.254.4.256', 'fe80::1%eth0', '1234', '']) assert.equal(parseIP(bad), null, bad);
    assert.deepEqual(parseTo('[FD00::1]:80'), { kind: 'address', address: 'fd00::1', family: 'ipv6', port: 80 });
    assert.deepEqual(parseFrom('10.9.9.9'), { kind: 'address', address: '10.9.9.9', family: 'ipv4' });
  });
});

describe('bad input: one line on stderr, exit 2', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['an address that is not an IP', ['--demo', 'trace', '--to', '172.30.85.300:8080'], /^error: --to 172\.30\.85\.300:8080: "172\.30\.85\.300" is not an IP address/],
    ['a port out of range', ['--demo', 'trace', '--to', '172.30.85.132:65536'], /^error: --to 172\.30\.85\.132:65536: port 65536 is out of range \(1-65535\)/],
    ['no port', ['--demo', 'trace', '--to', '172.30.85.132'], /^error: --to 172\.30\.85\.132: give the port too/],
    ['an unknown service', ['--demo', 'trace', '--to', 'svc/nope', '-n', 'test-services'], /^Error from server \(NotFound\): services "nope" not found/],
    ['an unknown service port', ['--demo', 'trace', '--to', 'svc/django-psql-example:9999', '-n', 'test-services'], /^error: service test-services\/django-psql-example has no port "9999" \(ports: web 8080\/TCP\)/],
    ['an unknown pod', ['--demo', 'trace', '--to', '172.30.85.132:8080', '--from', 'pod/nope', '-n', 'test-services'], /^Error from server \(NotFound\): pods "nope" not found/],
    ['a bad --from', ['--demo', 'trace', '--to', '172.30.85.132:8080', '--from', '10.1.2'], /^error: --from 10\.1\.2: not an IP address, pod\/NAME or node/],
    ['a protocol the tracer does not take', ['--demo', 'trace', '--to', '172.30.85.132:8080', '--proto', 'icmp'], /^error: --proto icmp: use tcp, udp or sctp/],
    ['an ExternalName service', ['--demo', 'trace', '--to', 'svc/minio', '-n', 'test-services'], /^error: service test-services\/minio is ExternalName/],
    ['a missing dump', ['trace', '--iptables-save', '/nonexistent/dump', '--to', '1.2.3.4:80'], /^error: cannot read --iptables-save \/nonexistent\/dump: no such file/],
  ];
  for (const [what, args, message] of cases) {
    it(what, async () => {
      const r = await run(args);
      assert.equal(r.exitCode, 2);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.equal(r.stdout, '');
    });
  }

  it('a malformed dump names its line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svctrace-trace-'));
    const dump = join(dir, 'node.save');
    writeFileSync(dump, '*nat\n:PREROUTING ACCEPT [0:0]\n:KUBE-SERVICES - [0:0]\n-A KUBE-SERVICES -d 172.30.0.1/33 -j ACCEPT\nCOMMIT\n');
    const r = await run(['trace', '--iptables-save', dump, '--to', '172.30.0.1:80', '--from', '10.0.0.1']);
    assert.equal(r.exitCode, 2);
    assert.match(r.stderr, new RegExp(`^error: ${dump.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:4: .*-A KUBE-SERVICES -d 172\\.30\\.0\\.1/33 -j ACCEPT\\n$`));
  });

  it('a dump whose jumps loop names the chains', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svctrace-trace-'));
    const dump = join(dir, 'loop.save');
    writeFileSync(dump, '*nat\n:PREROUTING ACCEPT [0:0]\n:A - [0:0]\n:B - [0:0]\n-A PREROUTING -j A\n-A A -j B\n-A B -j A\nCOMMIT\n');
    const r = await run(['trace', '--iptables-save', dump, '--to', '1.2.3.4:80', '--from', '10.0.0.1']);
    assert.equal(r.exitCode, 2);
    assert.match(r.stderr, /:7: jump loop in table nat: PREROUTING -> A -> B -> A\n$/);
  });
});

describe('docs/commands/trace.md', () => {
  it('shows the real output of its first example', async () => {
    const doc = readFileSync(join(FIXTURES, '..', '..', 'docs', 'commands', 'trace.md'), 'utf8');
    const cmd = '$ svctrace --demo trace --to 172.30.85.132:8080 --node worker0.ocp4.labs.semperti.local --proxy-version 1.16\n';
    const start = doc.indexOf(cmd) + cmd.length;
    const shown = doc.slice(start, doc.indexOf('```', start));
    const r = await run(['--demo', 'trace', '--to', '172.30.85.132:8080', '--node', WORKER0, '--proxy-version', '1.16']);
    assert.equal(shown, r.stdout);
  });
});
