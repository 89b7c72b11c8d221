// `svctrace check`: each rule fires on the object that breaks it and stays quiet otherwise;
// the exit code is 1 exactly when an error or warning is found.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse as parseYAML } from 'yaml';
import { runCli } from '../../src/cli/main.js';
import { RULE_SUMMARIES } from '../../src/cluster/lint.js';
import { pod, service } from '../helpers/objects.js';

type Obj = Record<string, unknown>;

/** Runs `svctrace -f - check ...` over the given objects. */
async function check(objects: Obj[], ...args: string[]) {
  const list = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects });
  return runCli(['node', 'svctrace', '-f', '-', 'check', '-o', 'json', ...args], { env: {}, stdin: async () => list });
}

async function findings(objects: Obj[], ...args: string[]) {
  const r = await check(objects, ...args);
  assert.equal(r.stderr.includes('error:'), false, r.stderr);
  const doc = JSON.parse(r.stdout) as { findings: Array<{ check: string; service: string; severity: string; message: string }> };
  return { exitCode: r.exitCode, list: doc.findings, checks: doc.findings.map((f) => f.check) };
}

const web = (o: Parameters<typeof service>[0] = {}) =>
  service({
    name: 'web',
    spec: { type: 'ClusterIP', clusterIP: '172.30.0.10', clusterIPs: ['172.30.0.10'], selector: { app: 'web' }, ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }] },
    ...o,
  });
const webPod = (name: string, o: Parameters<typeof pod>[0] = {}) =>
  pod({
    name,
    labels: { app: 'web' },
    spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'app', ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] }] },
    status: { phase: 'Running', podIP: '10.0.0.5', podIPs: [{ ip: '10.0.0.5' }], conditions: [{ type: 'Ready', status: 'True' }] },
    ...o,
  });

describe('svctrace check', () => {
  it('finds nothing in a healthy service and exits 0', async () => {
    const r = await findings([web(), webPod('web-1')]);
    assert.deepEqual(r.list, []);
    assert.equal(r.exitCode, 0);
  });

  it('selector-matches-nothing and no-ready-endpoints when no pod carries the labels', async () => {
    const r = await findings([web(), webPod('other', { labels: { app: 'other' } })]);
    assert.deepEqual(r.checks.sort(), ['no-ready-endpoints', 'selector-matches-nothing']);
    assert.match(r.list.find((f) => f.check === 'selector-matches-nothing')!.message, /selector app=web matches no pod in namespace default/);
    assert.equal(r.exitCode, 1);
  });

  it('cannot judge a selector without any pods in the snapshot', async () => {
    const r = await findings([web()]);
    assert.deepEqual(r.checks, []);
  });

  it('pods-not-ready names the pod and the reason', async () => {
    const notReady = webPod('web-2', {
      status: { phase: 'Running', podIP: '10.0.0.6', podIPs: [{ ip: '10.0.0.6' }], conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady' }] },
    });
    const r = await findings([web(), webPod('web-1'), notReady]);
    assert.deepEqual(r.checks, ['pods-not-ready']);
    assert.match(r.list[0]!.message, /^pod web-2 is not ready: /);
    assert.equal(r.list[0]!.severity, 'warning');
    assert.equal(r.exitCode, 1);
  });

  it('target-port-unresolvable when a named targetPort is not declared by the pod', async () => {
    const svc = web({ spec: { type: 'ClusterIP', clusterIP: '172.30.0.10', clusterIPs: ['172.30.0.10'], selector: { app: 'web' }, ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'metrics' }] } });
    const r = await findings([svc, webPod('web-1')]);
    assert.ok(r.checks.includes('target-port-unresolvable'), JSON.stringify(r.list));
    assert.match(r.list.find((f) => f.check === 'target-port-unresolvable')!.message, /web-1/);
  });

  it('target-port-protocol when the port is declared only under another protocol', async () => {
    const svc = web({ spec: { type: 'ClusterIP', clusterIP: '172.30.0.10', clusterIPs: ['172.30.0.10'], selector: { app: 'web' }, ports: [{ name: 'dns', port: 53, protocol: 'UDP', targetPort: 8080 }] } });
    const r = await findings([svc, webPod('web-1')]);
    assert.deepEqual(r.checks, ['target-port-protocol']);
    assert.match(r.list[0]!.message, /port 53\/UDP targets 8080, which pod web-1 declares only as TCP/);
  });

  it('node-port-conflict reports both services; node-port-out-of-range warns', async () => {
    const np = (name: string, nodePort: number) =>
      web({ name, spec: { type: 'NodePort', clusterIP: '172.30.0.11', clusterIPs: ['172.30.0.11'], selector: { app: 'web' }, ports: [{ port: 80, protocol: 'TCP', targetPort: 8080, nodePort }] } });
    const r = await findings([np('a', 31000), np('b', 31000), np('c', 8080), webPod('web-1')]);
    const conflicts = r.list.filter((f) => f.check === 'node-port-conflict').map((f) => f.service);
    assert.deepEqual(conflicts.sort(), ['default/a', 'default/b']);
    assert.deepEqual(r.list.filter((f) => f.check === 'node-port-out-of-range').map((f) => f.service), ['default/c']);
  });

  it('load-balancer-pending for a LoadBalancer without ingress', async () => {
    const lb = web({ spec: { type: 'LoadBalancer', clusterIP: '172.30.0.12', clusterIPs: ['172.30.0.12'], selector: { app: 'web' }, ports: [{ port: 80, protocol: 'TCP', targetPort: 8080, nodePort: 30080 }] } });
    const r = await findings([lb, webPod('web-1')]);
    assert.deepEqual(r.checks, ['load-balancer-pending']);
  });

  it('kube-proxy-skips when kube-proxy would drop an invalid address', async () => {
    const bad = web({
      spec: { type: 'ClusterIP', clusterIP: '172.30.0.10', clusterIPs: ['172.30.0.10'], externalIPs: ['not-an-ip'], selector: { app: 'web' }, ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }] },
    });
    const r = await findings([bad, webPod('web-1')]);
    assert.ok(r.checks.includes('kube-proxy-skips'), JSON.stringify(r.list));
    assert.match(r.list.find((f) => f.check === 'kube-proxy-skips')!.message, /not-an-ip/);
  });

  it('kube-proxy-skips only for the services checked: not for another namespace under -n', async () => {
    const elsewhere = web({
      namespace: 'other',
      spec: { type: 'ClusterIP', clusterIP: '172.30.0.11', clusterIPs: ['172.30.0.11'], externalIPs: ['not-an-ip'], ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }] },
    });
    const r = await findings([web(), webPod('web-1'), elsewhere]);
    assert.deepEqual(r.list, []);
    assert.equal(r.exitCode, 0);
  });

  it('selector-ignored on an ExternalName service is informational: exit 0', async () => {
    const ext = service({ name: 'minio', spec: { type: 'ExternalName', externalName: 'minio.example.com', selector: { app: 'minio' } } });
    const r = await findings([ext]);
    assert.deepEqual(r.list.map((f) => [f.check, f.severity]), [['selector-ignored', 'info']]);
    assert.equal(r.exitCode, 0);
  });

  it('checks the demo: only the informational minio finding', async () => {
    const r = await runCli(['node', 'svctrace', '--demo', 'check', '-A'], { env: {} });
    assert.equal(r.exitCode, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^NAMESPACE {7}SERVICE {3}SEVERITY {3}CHECK {14}MESSAGE\n/);
    assert.match(r.stdout, /test-services {3}minio {5}info {7}selector-ignored {3}ExternalName services ignore their selector\n/);
    assert.match(r.stdout, /1 finding \(1 info\); 7 services checked in all namespaces\.\n$/);
  });

  it('docs/commands/check.md lists every check with its severity', () => {
    const doc = readFileSync(new URL('../../docs/commands/check.md', import.meta.url), 'utf8');
    const rows = [...doc.matchAll(/^\| `([a-z-]+)` \| (error|warning|info) \|/gm)].map((m) => `${m[1]} ${m[2]}`);
    assert.deepEqual(rows.sort(), RULE_SUMMARIES.map((r) => `${r.name} ${r.severity}`).sort());
  });

  it('-o yaml is the -o json document, keys in the same order (as trace -o yaml)', async () => {
    const json = await runCli(['node', 'svctrace', '--demo', 'check', '-A', '-o', 'json'], { env: {} });
    const yaml = await runCli(['node', 'svctrace', '--demo', 'check', '-A', '-o', 'yaml'], { env: {} });
    assert.equal(
      yaml.stdout,
      'services: 7\nsummary:\n  error: 0\n  warning: 0\n  info: 1\nfindings:\n' +
        '  - severity: info\n    check: selector-ignored\n    service: test-services/minio\n    message: ExternalName services ignore their selector\n',
    );
    assert.equal(JSON.stringify(parseYAML(yaml.stdout)), JSON.stringify(JSON.parse(json.stdout)));
  });

  it('refuses an unknown -o with the allowed formats', async () => {
    const r = await runCli(['node', 'svctrace', '--demo', 'check', '-o', 'wide'], { env: {} });
    assert.equal(r.exitCode, 2);
    assert.equal(r.stderr, 'error: unable to match a printer suitable for the output format "wide", allowed formats are: json,yaml\n');
  });
});
