// `svctrace rules`: the walkthrough's `iptables-save | grep` blocks out of the save form, byte
// for byte (kube-proxy 1.16); scopes (service, -n, -A, default namespace); the restore form;
// terminal annotations; -o json; notes and warnings on stderr; --diff; bad flags.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments, stringify } from 'yaml';
import { parse } from 'yaml';
import { runCli } from '../../src/cli/main.js';
import { DEMO_FILE } from '../../src/cluster/demo.js';
import { FIXTURES } from '../proxy/support/fake-proxier.js';

const run = (args: string[], io: { isTTY?: boolean } = {}) => runCli(['node', 'svctrace', ...args], { env: {}, isTTY: io.isTTY ?? false });
const demo = (args: string[], io?: { isTTY?: boolean }) => run(['--demo', ...args], io);
const tmp = mkdtempSync(join(tmpdir(), 'svctrace-rules-'));

/** Lines of `text` containing `pattern`, as `grep -F pattern` prints them. */
const grep = (text: string, pattern: string) =>
  text
    .split('\n')
    .filter((l) => l.includes(pattern))
    .map((l) => l + '\n')
    .join('');

/**
 * The demo cluster before the walkthrough scales django-psql-example to three pods: the third
 * pod (10.254.5.66) and its endpoint removed. Written as a file for -f.
 */
function twoEndpointCluster(): string {
  const THIRD = '10.254.5.66';
  const docs = parseAllDocuments(readFileSync(DEMO_FILE, 'utf8')).map((d) => d.toJS() as Record<string, any>);
  const kept = docs
    .filter((d) => !(d?.kind === 'Pod' && d.status?.podIP === THIRD))
    .map((d) => {
      if (d?.kind === 'Endpoints' && d.metadata?.name === 'django-psql-example') {
        for (const subset of d.subsets ?? []) subset.addresses = (subset.addresses ?? []).filter((a: { ip: string }) => a.ip !== THIRD);
      }
      if (d?.kind === 'EndpointSlice' && d.metadata?.labels?.['kubernetes.io/service-name'] === 'django-psql-example') {
        d.endpoints = (d.endpoints ?? []).filter((e: { addresses: string[] }) => !e.addresses.includes(THIRD));
      }
      return d;
    });
  const path = join(tmp, 'two-endpoints.yaml');
  writeFileSync(path, kept.map((d) => stringify(d)).join('---\n'));
  return path;
}

interface WalkthroughBlock {
  line: number;
  grep: string;
  state: 'final' | 'two-endpoints';
  args: string[];
  expected: string;
}

describe('the walkthrough, kube-proxy 1.16 (iptables-save | grep, byte for byte)', () => {
  const blocks = (parse(readFileSync(join(FIXTURES, 'rules', 'walkthrough-1.16.yaml'), 'utf8')) as { blocks: WalkthroughBlock[] }).blocks;
  const twoEndpoints = twoEndpointCluster();
  for (const b of blocks) {
    it(`line ${b.line}: iptables-save | grep ${b.grep}${b.state === 'two-endpoints' ? ' (two endpoints)' : ''}${b.args.length ? ' ' + b.args.join(' ') : ''}`, async () => {
      const source = b.state === 'final' ? ['--demo'] : ['-f', twoEndpoints];
      const r = await run([...source, 'rules', '-A', '--proxy-version', '1.16', ...b.args]);
      assert.equal(r.exitCode, 0, r.stderr);
      assert.equal(grep(r.stdout, b.grep), b.expected);
    });
  }

  it('a single service shows the same lines as grepping the whole node for its chains', async () => {
    const all = await demo(['rules', '-A', '--proxy-version', '1.16']);
    const one = await demo(['rules', 'django-psql-example', '-n', 'test-services', '--proxy-version', '1.16']);
    for (const chain of ['KUBE-SVC-GIGN3HAIPPOO23F3', 'KUBE-SEP-7ANA7OTZZO5QKVWN', 'KUBE-SEP-JBBKRG73QF24CZJD', 'KUBE-SEP-XU6QRWQ6NFR3D34U']) {
      assert.equal(grep(one.stdout, chain), grep(all.stdout, chain), chain);
    }
    assert.equal(grep(one.stdout, 'test-services/django-psql-example'), grep(all.stdout, 'test-services/django-psql-example'));
  });
});

describe('svctrace rules: scopes and forms', () => {
  it('with a service name prints only that service, framed by *nat and COMMIT', async () => {
    const r = await demo(['rules', 'django-psql-example', '-n', 'test-services', '--proxy-version', '1.16']);
    assert.equal(r.exitCode, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines[0], '*nat');
    assert.equal(lines.at(-1), 'COMMIT');
    assert.ok(!r.stdout.includes('*filter'), 'a ClusterIP service with endpoints has no filter rules in 1.16');
    assert.ok(!r.stdout.includes('postgresql'));
    assert.ok(!r.stdout.includes('KUBE-POSTROUTING'));
  });

  it('without -n uses the default namespace (the demo is in test-services, like `oc project`)', async () => {
    const r = await demo(['rules', '--proxy-version', '1.16']);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.ok(r.stdout.includes('KUBE-SVC-GIGN3HAIPPOO23F3'));
    assert.ok(!r.stdout.includes('test-nodeport/'), 'other namespaces are left out');
  });

  it('-n gives a complete table set for that namespace: loadable restore input with the fixed chains', async () => {
    const r = await demo(['rules', '-n', 'test-nodeport', '--format', 'restore', '--proxy-version', '1.16']);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, /^\*filter\n:KUBE-SERVICES - \[0:0\]\n/);
    assert.ok(r.stdout.includes(':KUBE-POSTROUTING - [0:0]'));
    assert.ok(r.stdout.includes('KUBE-SVC-5YXNK7KOCSOUM3AE'));
    assert.ok(!r.stdout.includes('test-services/'));
    assert.equal(r.stdout.match(/^COMMIT$/gm)?.length, 2);
  });

  it('--format restore writes what kube-proxy writes: no /32 from 1.23, unquoted one-word comments, probability %0.10f', async () => {
    const r = await demo(['rules', 'django-psql-example', '-n', 'test-services', '--format', 'restore', '--proxy-version', '1.28']);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.ok(r.stdout.includes('-A KUBE-SVC-GIGN3HAIPPOO23F3 -m comment --comment "test-services/django-psql-example:web -> 10.254.4.24:8080" -m statistic --mode random --probability 0.3333333333 -j KUBE-SEP-7ANA7OTZZO5QKVWN'), r.stdout);
    assert.ok(r.stdout.includes('-A KUBE-SEP-7ANA7OTZZO5QKVWN -m comment --comment test-services/django-psql-example:web -s 10.254.4.24 -j KUBE-MARK-MASQ'));
  });

  it('the save form prints what iptables-save shows for the same rule (probability as the kernel keeps it)', async () => {
    const r = await demo(['rules', 'django-psql-example', '-n', 'test-services', '--proxy-version', '1.28']);
    assert.ok(r.stdout.includes('-A KUBE-SVC-GIGN3HAIPPOO23F3 -m comment --comment "test-services/django-psql-example:web -> 10.254.4.24:8080" -m statistic --mode random --probability 0.33333333349 -j KUBE-SEP-7ANA7OTZZO5QKVWN'), r.stdout);
    assert.ok(r.stdout.includes('-A KUBE-SEP-7ANA7OTZZO5QKVWN -s 10.254.4.24/32 -m comment --comment "test-services/django-psql-example:web" -j KUBE-MARK-MASQ'));
  });

  it('-A prints every table of the node, with the jumps kube-proxy installs in the built-in chains', async () => {
    const r = await demo(['rules', '-A']);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.deepEqual(r.stdout.match(/^\*\w+$/gm), ['*mangle', '*filter', '*nat']);
    assert.ok(r.stdout.includes('-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES\n'));
    assert.ok(r.stdout.includes('-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL\n'));
  });

  it('is deterministic: the same input gives the same bytes', async () => {
    const a = await demo(['rules', '-A', '--proxy-version', '1.20']);
    const b = await demo(['rules', '-A', '--proxy-version', '1.20']);
    assert.equal(a.stdout, b.stdout);
  });
});

describe('svctrace rules: dual stack', () => {
  it('prints the iptables and the ip6tables part, each after a comment line naming it', async () => {
    const path = join(tmp, 'dual.yaml');
    const port = [{ name: 'http', port: 80, protocol: 'TCP' }];
    const eps = (family: 4 | 6, ip: string) => ({
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { namespace: 'default', name: `web-v${family}`, labels: { 'kubernetes.io/service-name': 'web' } },
      addressType: `IPv${family}`, endpoints: [{ addresses: [ip] }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    });
    writeFileSync(path, [
      { apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'default', name: 'web' }, spec: { clusterIP: '172.30.0.10', clusterIPs: ['172.30.0.10', 'fd00:30::10'], ipFamilies: ['IPv4', 'IPv6'], ports: port } },
      eps(4, '10.128.0.5'), eps(6, 'fd00:10::5'),
    ].map((d) => stringify(d)).join('---\n'));
    const r = await run(['-f', path, 'rules', 'web', '--node', 'n1', '--node-ip', '192.168.0.2', '--node-ip', '2001:db8::2', '--cluster-cidr', '10.128.0.0/14,fd00:10::/64']);
    assert.equal(r.exitCode, 0, r.stderr);
    const [v4, v6] = r.stdout.split('# IPv6: ip6tables-save\n');
    assert.ok(v4!.startsWith('# IPv4: iptables-save\n*nat\n'));
    assert.ok(v4!.includes('! -s 10.128.0.0/14 -d 172.30.0.10/32 '));
    assert.ok(v6!.includes('! -s fd00:10::/64 -d fd00:30::10/128 '));
    assert.ok(v6!.includes('-j DNAT --to-destination [fd00:10::5]:8080'));
    // The same service port name, so the same KUBE-SVC- chain in both families.
    const svcChain = /:(KUBE-SVC-\w+)/.exec(v4!)![1]!;
    assert.ok(v6!.includes(`:${svcChain} - [0:0]`));
  });
});

describe('svctrace rules: terminal annotations and -o json', () => {
  it('on a terminal names the service port and the endpoint (pod, share) each chain stands for', async () => {
    const r = await demo(['rules', 'django-psql-example', '-n', 'test-services', '--proxy-version', '1.16', '--no-color'], { isTTY: true });
    assert.ok(r.stdout.includes('# KUBE-SVC-GIGN3HAIPPOO23F3: service port test-services/django-psql-example:web (172.30.85.132:8080/TCP), 3 endpoints\n'), r.stdout);
    assert.match(r.stdout, /# KUBE-SEP-7ANA7OTZZO5QKVWN: endpoint 10\.254\.4\.24:8080 \(pod test-services\/django-psql-example-1-grddz\) of test-services\/django-psql-example:web: cluster endpoint 1 of 3, 33\.3% of new connections\n/);
  });

  it('piped output has no annotations', async () => {
    const r = await demo(['rules', 'django-psql-example', '-n', 'test-services']);
    assert.ok(!r.stdout.includes('# '));
  });

  it('-o json gives tables, chains and rules with the service port and endpoint of each', async () => {
    const r = await demo(['rules', 'django-psql-example', '-n', 'test-services', '-o', 'json', '--proxy-version', '1.16']);
    assert.equal(r.exitCode, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.proxyVersion, '1.16');
    assert.equal(doc.node, 'worker0.ocp4.labs.semperti.local');
    const nat = doc.families[0].tables.find((t: { name: string }) => t.name === 'nat');
    const svc = nat.chains.find((c: { name: string }) => c.name === 'KUBE-SVC-GIGN3HAIPPOO23F3');
    assert.equal(svc.servicePort, 'test-services/django-psql-example:web');
    assert.equal(svc.role, 'service');
    assert.deepEqual(svc.rules.map((x: { endpoint: string }) => x.endpoint), ['10.254.4.24:8080', '10.254.5.61:8080', '10.254.5.66:8080']);
    const port = doc.servicePorts[0];
    assert.equal(port.chains.service, 'KUBE-SVC-GIGN3HAIPPOO23F3');
    assert.deepEqual(port.cluster.map((e: { probability?: string }) => e.probability), ['0.33333', '0.50000', undefined]);
  });
});

describe('svctrace rules: notes, warnings and errors', () => {
  it('says on stderr that kube-proxy writes no rules for an ExternalName service', async () => {
    const r = await demo(['rules', 'minio', '-n', 'test-services']);
    assert.equal(r.exitCode, 0);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'note: kube-proxy writes no rules for service test-services/minio: it is an ExternalName service\n');
  });

  it('warns, one line per problem, about an invalid address kube-proxy skips', async () => {
    const path = join(tmp, 'bad.yaml');
    writeFileSync(path, stringify({
      apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'default', name: 'web' },
      spec: { clusterIP: '172.30.0.9', externalIPs: ['1.2.3.4', 'nope'], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
    }));
    const r = await run(['-f', path, 'rules', 'web', '--node', 'n1']);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stderr, /^warning: service default\/web: externalIP "nope" is not an IP address; ignored as kube-proxy does$/m);
    assert.ok(r.stdout.includes('1.2.3.4'));
  });

  it('warns only about the services shown, not about another namespace\'s', async () => {
    const path = join(tmp, 'bad-elsewhere.yaml');
    const svc = (namespace: string, name: string, clusterIP: string, externalIPs: string[]) => ({
      apiVersion: 'v1', kind: 'Service', metadata: { namespace, name },
      spec: { clusterIP, externalIPs, ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
    });
    writeFileSync(path, [svc('default', 'good', '172.30.0.9', []), svc('other', 'bad', '172.30.0.10', ['nope'])].map((d) => stringify(d)).join('---\n'));
    const good = await run(['-f', path, 'rules', 'good', '--node', 'n1']);
    assert.equal(good.exitCode, 0, good.stderr);
    assert.equal(good.stderr, '');
    assert.ok(good.stdout.includes('172.30.0.9'));
    const all = await run(['-f', path, 'rules', '-A', '--node', 'n1']);
    assert.match(all.stderr, /^warning: service other\/bad: externalIP "nope" is not an IP address; ignored as kube-proxy does$/m);
  });

  for (const [args, message] of [
    [['--proxy-version', '1.15'], /^error: unknown kube-proxy version 1\.15: svctrace models 1\.16 to 1\.\d+\n$/],
    [['--proxy-version', 'latest'], /^error: invalid --proxy-version "latest"/],
    [['--cluster-cidr', '10.0.0.0/33'], /^error: invalid --cluster-cidr "10\.0\.0\.0\/33": not a CIDR/],
    [['--node-ip', '10.0.0.256'], /^error: invalid --node-ip "10\.0\.0\.256": not an IP address\n$/],
    [['--nodeport-addresses', 'eth0'], /^error: invalid --nodeport-addresses entry "eth0"/],
    [['--node', 'nosuch'], /^error: node "nosuch" not found/],
    [['-o', 'yaml'], /^error: invalid -o "yaml" for rules/],
    [['--proxy-config', '/nonexistent/kp.yaml'], /^error: cannot read --proxy-config \/nonexistent\/kp\.yaml: no such file\n$/],
  ] as const) {
    it(`rejects ${args.join(' ')} with one line and exit code 2`, async () => {
      const r = await demo(['rules', ...args]);
      assert.equal(r.exitCode, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, message);
      assert.equal(r.stderr.split('\n').length, 2, r.stderr);
    });
  }

  it('an unknown service is kubectl\'s NotFound', async () => {
    const r = await demo(['rules', 'nosuch']);
    assert.equal(r.exitCode, 2);
    assert.equal(r.stderr, 'Error from server (NotFound): services "nosuch" not found\n');
  });
});

describe('svctrace rules --proxy-config', () => {
  it('reads a KubeProxyConfiguration from the kube-proxy ConfigMap; flags still win', async () => {
    const path = join(tmp, 'kube-proxy-cm.yaml');
    writeFileSync(path, stringify({
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: 'kube-system', name: 'kube-proxy' },
      data: { 'config.conf': 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nclusterCIDR: 10.100.0.0/16\niptables:\n  masqueradeAll: true\n' },
    }));
    const fromFile = await demo(['rules', 'django-psql-example', '-n', 'test-services', '--proxy-version', '1.16', '--proxy-config', path]);
    assert.equal(fromFile.exitCode, 0, fromFile.stderr);
    // masqueradeAll: every packet to the cluster IP is marked, whatever its source.
    assert.ok(fromFile.stdout.includes('-A KUBE-SERVICES -d 172.30.85.132/32 -p tcp -m comment --comment "test-services/django-psql-example:web cluster IP" -m tcp --dport 8080 -j KUBE-MARK-MASQ\n'), fromFile.stdout);
    const flagWins = await demo(['rules', 'django-psql-example', '-n', 'test-services', '--proxy-version', '1.16', '--proxy-config', path, '--cluster-cidr', '10.254.0.0/16']);
    assert.ok(!flagWins.stdout.includes('10.100.0.0/16'));
  });

  it('rejects a file without a configuration, naming it', async () => {
    const path = join(tmp, 'nothing.yaml');
    writeFileSync(path, 'apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n');
    const r = await demo(['rules', '--proxy-config', path]);
    assert.equal(r.exitCode, 2);
    assert.equal(r.stderr, `error: ${path}: no KubeProxyConfiguration (or ConfigMap carrying one) in --proxy-config\n`);
  });
});

describe('svctrace rules --diff', () => {
  it('finds nothing when the dump is the node svctrace models, and exits 0', async () => {
    const expected = await demo(['rules', '-A', '--proxy-version', '1.16']);
    const path = join(tmp, 'node.dump');
    writeFileSync(path, `# Generated by iptables-save v1.8.4 on Sat Sep  5 23:50:00 2020\n${expected.stdout}`);
    const r = await demo(['rules', '-A', '--proxy-version', '1.16', '--diff', path]);
    assert.equal(r.exitCode, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^no differences/);
  });

  it('reports missing, extra and stale lines and exits 1', async () => {
    const full = (await demo(['rules', '-A', '--proxy-version', '1.16'])).stdout;
    const dump = full
      .replace('-A KUBE-SVC-GIGN3HAIPPOO23F3 -j KUBE-SEP-XU6QRWQ6NFR3D34U\n', '')
      .replace(':KUBE-SVC-GIGN3HAIPPOO23F3 - [0:0]\n', ':KUBE-SVC-GIGN3HAIPPOO23F3 - [0:0]\n:KUBE-SEP-AAAAAAAAAAAAAAAA - [0:0]\n')
      .replace('-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000\n', '-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000\n-A KUBE-SERVICES -d 172.30.9.9/32 -p tcp -m tcp --dport 9 -j KUBE-MARK-MASQ\n-A KUBE-SEP-AAAAAAAAAAAAAAAA -p tcp -m tcp -j DNAT --to-destination 10.254.9.9:8080\n');
    const path = join(tmp, 'drifted.dump');
    writeFileSync(path, dump);
    const r = await demo(['rules', '-A', '--proxy-version', '1.16', '--diff', path, '-o', 'json']);
    assert.equal(r.exitCode, 1, r.stderr);
    const diff = JSON.parse(r.stdout);
    assert.deepEqual(diff.missing, ['-A KUBE-SVC-GIGN3HAIPPOO23F3 -j KUBE-SEP-XU6QRWQ6NFR3D34U']);
    assert.deepEqual(diff.extra, ['-A KUBE-SERVICES -d 172.30.9.9/32 -p tcp -m tcp --dport 9 -j KUBE-MARK-MASQ']);
    assert.deepEqual(diff.stale, [':KUBE-SEP-AAAAAAAAAAAAAAAA - [0:0]', '-A KUBE-SEP-AAAAAAAAAAAAAAAA -p tcp -m tcp -j DNAT --to-destination 10.254.9.9:8080']);
  });
});

describe('svctrace rules --iptables-save', () => {
  it("shows the node dump's own lines for a service, also when the node runs another kube-proxy version", async () => {
    const dump = (await demo(['rules', '-A', '--proxy-version', '1.16'])).stdout;
    const path = join(tmp, 'node-1.16.dump');
    writeFileSync(path, dump);
    // Modelled as 1.34 (unnamed port hashed differently): the dump's comments and jumps still lead to its chains.
    const r = await demo(['rules', 'django-psql-example', '-n', 'test-nodeport', '--iptables-save', path]);
    assert.equal(r.exitCode, 0, r.stderr);
    for (const chain of ['KUBE-SVC-5YXNK7KOCSOUM3AE', 'KUBE-SEP-WBMKBITY6POBVI7J', 'KUBE-SEP-ZRETU3UTQ3EXCFUX', 'KUBE-SEP-2CQOQG2SNEWYJXXO']) {
      assert.ok(r.stdout.includes(`:${chain} - [0:0]\n`), chain);
    }
    const rulesOf = (text: string) => text.split('\n').filter((l) => l.startsWith('-A ')).sort();
    const chains = ['KUBE-SVC-5YXNK7KOCSOUM3AE', 'KUBE-SEP-WBMKBITY6POBVI7J', 'KUBE-SEP-ZRETU3UTQ3EXCFUX', 'KUBE-SEP-2CQOQG2SNEWYJXXO'];
    const expected = rulesOf(dump).filter((l) => l.includes('"test-nodeport/django-psql-example:') || chains.some((c) => l.startsWith(`-A ${c} `)));
    assert.deepEqual(rulesOf(r.stdout), expected);
    assert.ok(!r.stdout.includes('test-services/'));
  });

  it('refuses --diff and --iptables-save together', async () => {
    const r = await demo(['rules', '--diff', 'a', '--iptables-save', 'b']);
    assert.equal(r.exitCode, 2);
    assert.match(r.stderr, /^error: --diff and --iptables-save both name a node dump/);
  });
});
