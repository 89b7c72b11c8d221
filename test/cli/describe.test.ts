import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../../src/cli/main.js';
import { schemaEnv } from '../explain/schema.js';
import { DJANGO_DESCRIBE } from '../helpers/walkthrough-describe.js';

const run = (args: string[], io: { isTTY?: boolean; env?: Record<string, string> } = {}) =>
  runCli(['node', 'svctrace', ...args], { env: { SVCTRACE_NOW: '2020-09-07T00:00:00Z', ...(io.env ?? {}) }, isTTY: io.isTTY ?? false });
const demo = (args: string[], io?: { isTTY?: boolean; env?: Record<string, string> }) => run(['--demo', ...args], io);

/** The sections after kubectl's text, keyed by their title's first word. */
function sections(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const block of text.split('\n\n')) out[block.split(/[ :]/)[0]!] = block;
  return out;
}

describe('svctrace --demo describe svc', () => {
  it("starts with kubectl's describe text for the walkthrough's ClusterIP service", async () => {
    const r = await demo(['describe', 'svc', 'django-psql-example', '-n', 'test-services']);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.ok(r.stdout.startsWith(DJANGO_DESCRIBE + '\n'), r.stdout);
  });

  it('joins the three pods, their endpoints and the 1.16 chains of the walkthrough', async () => {
    const r = await demo(['describe', 'svc', 'django-psql-example', '-n', 'test-services', '--proxy-version', '1.16']);
    const s = sections(r.stdout);
    assert.match(s.Pods!, /^Pods \(selector name=django-psql-example\):\n/);
    for (const [name, ip] of [
      ['django-psql-example-1-grddz', '10.254.4.24'],
      ['django-psql-example-1-hhng7', '10.254.5.61'],
      ['django-psql-example-1-xk5tb', '10.254.5.66'],
    ]) {
      assert.match(s.Pods!, new RegExp(`\\n  ${name} +1/1 +Running +${ip.replaceAll('.', '\\.')} +worker\\d\\.ocp4\\.labs\\.semperti\\.local +yes(\\n|$)`));
      assert.match(s.Endpoints!, new RegExp(`\\n  web +${ip.replaceAll('.', '\\.')}:8080 +true +true +false +worker\\d\\S* +${name}(\\n|$)`));
    }
    // The walkthrough's iptables-save lines: SVC chain, three SEP chains in address order.
    assert.match(
      s.Chains!,
      /web 8080\/TCP "test-services\/django-psql-example:web": KUBE-SVC-GIGN3HAIPPOO23F3\n.*\n +KUBE-SEP-7ANA7OTZZO5QKVWN +10\.254\.4\.24:8080 +33\.3%\n +KUBE-SEP-JBBKRG73QF24CZJD +10\.254\.5\.61:8080 +33\.3%\n +KUBE-SEP-XU6QRWQ6NFR3D34U +10\.254\.5\.66:8080 +33\.3%\n$/,
    );
  });

  it('names the NodePort and LoadBalancer chains of the walkthrough (unnamed ports, 1.16)', async () => {
    const np = await demo(['describe', 'svc', 'django-psql-example', '-n', 'test-nodeport', '--proxy-version', '1.16']);
    assert.match(np.stdout, /\nNodePort: +<unset> {2}32291\/TCP\n/);
    assert.match(np.stdout, /"test-nodeport\/django-psql-example:": KUBE-SVC-5YXNK7KOCSOUM3AE\n/);
    assert.match(np.stdout, /KUBE-SEP-WBMKBITY6POBVI7J +10\.254\.3\.22:8080[\s\S]*KUBE-SEP-ZRETU3UTQ3EXCFUX +10\.254\.4\.25:8080[\s\S]*KUBE-SEP-2CQOQG2SNEWYJXXO +10\.254\.5\.71:8080/);
    const lb = await demo(['describe', 'svc', 'django-psql-example', '-n', 'test-loadbalancer', '--proxy-version', '1.16']);
    assert.match(lb.stdout, /\nLoadBalancer Ingress: +ac5c317cb9b0843588100b1b8889d999-389844834\.us-east-2\.elb\.amazonaws\.com\n/);
    assert.match(lb.stdout, /"test-loadbalancer\/django-psql-example:": KUBE-SVC-AD7VE3QSWBRYRSA5\n/);
  });

  it('explains that kube-proxy writes nothing for the ExternalName service', async () => {
    const r = await demo(['describe', 'service', 'minio', '-n', 'test-services']);
    const s = sections(r.stdout);
    assert.match(r.stdout, /\nExternal Name: +minio\.ocp4\.labs\.semperti\.local\n/);
    assert.match(s.Chains!, /none: kube-proxy writes no rules for an ExternalName service; cluster DNS answers with a CNAME to minio\.ocp4\.labs\.semperti\.local/);
  });

  it('prints no colour when stdout is not a terminal, colour on a terminal, none with NO_COLOR or --no-color', async () => {
    const args = ['describe', 'svc', 'django-psql-example', '-n', 'test-services'];
    const piped = await demo(args);
    const tty = await demo(args, { isTTY: true });
    assert.ok(!piped.stdout.includes('\u001b'));
    assert.ok(tty.stdout.includes('\u001b['));
    assert.equal(tty.stdout.replace(/\u001b\[[0-9;]*m/g, ''), piped.stdout);
    assert.ok(!(await demo(args, { isTTY: true, env: { NO_COLOR: '1' } })).stdout.includes('\u001b'));
    assert.ok(!(await demo([...args, '--no-color'], { isTTY: true })).stdout.includes('\u001b'));
  });
});

describe('svctrace describe: pods that are no endpoint', () => {
  const dir = mkdtempSync(join(tmpdir(), 'svctrace-describe-'));
  const file = join(dir, 'objects.yaml');
  writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Service',
      'metadata: {name: web, namespace: default, creationTimestamp: "2020-09-06T23:00:00Z"}',
      'spec: {clusterIP: 10.0.0.9, ports: [{name: http, port: 80, targetPort: 8080}], selector: {app: web}}',
      '---',
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: web-ready, namespace: default, labels: {app: web}}',
      'spec: {nodeName: node-1, containers: [{name: app, image: app}]}',
      'status:',
      '  phase: Running',
      '  podIP: 10.1.0.1',
      '  conditions: [{type: Ready, status: "True"}]',
      '  containerStatuses: [{name: app, image: app, imageID: "", ready: true, restartCount: 0, state: {running: {}}}]',
      '---',
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: web-unready, namespace: default, labels: {app: web}}',
      'spec: {nodeName: node-1, containers: [{name: app, image: app}]}',
      'status:',
      '  phase: Running',
      '  podIP: 10.1.0.2',
      '  conditions: [{type: Ready, status: "False", reason: ContainersNotReady}]',
      '  containerStatuses: [{name: app, image: app, imageID: "", ready: false, restartCount: 0, state: {running: {}}}]',
      '',
    ].join('\n'),
  );

  it('derives the endpoints from the pods, marks the unready one and balances over the ready one only', async () => {
    const r = await run(['-f', file, 'describe', 'svc', 'web']);
    assert.equal(r.exitCode, 0, r.stderr);
    const s = sections(r.stdout);
    assert.match(r.stdout, /\nEndpoints: +10\.1\.0\.1:8080\n/);
    assert.match(s.Pods!, /\n {2}web-ready +1\/1 +Running +10\.1\.0\.1 +node-1 +yes\n/);
    // The resolver's explanation, whatever its wording, names the condition's reason.
    assert.match(s.Pods!, /\n {2}web-unready +0\/1 +Running +10\.1\.0\.2 +node-1 +(?!yes)\S.*ContainersNotReady/);
    assert.match(s.Endpoints!, /^Endpoints \(derived from Pods/);
    assert.match(s.Chains!, /KUBE-SEP-\S+ +10\.1\.0\.1:8080 +100\.0%\n$/);
  });
});

describe('svctrace describe: errors', () => {
  it("prints kubectl's NotFound error for a missing service", async () => {
    const r = await demo(['describe', 'svc', 'nope', '-n', 'test-services']);
    assert.deepEqual([r.stdout, r.stderr, r.exitCode], ['', 'Error from server (NotFound): services "nope" not found\n', 2]);
  });

  it('rejects an unknown type, and types other than services', async () => {
    assert.equal((await demo(['describe', 'widget', 'x'])).stderr, 'error: the server doesn\'t have a resource type "widget"\n');
    const pods = await demo(['describe', 'pod', 'x']);
    assert.equal(pods.exitCode, 2);
    assert.match(pods.stderr, /^error: svctrace describes services only; for pods use "svctrace get pod x"\n$/);
    const deploy = await runCli(['node', 'svctrace', '--demo', 'describe', 'deploy', 'web'], { env: schemaEnv() });
    assert.deepEqual([deploy.stderr, deploy.exitCode], ['error: svctrace describes services only, not deployments.apps: use kubectl describe deploy web\n', 2]);
  });

  it('rejects -o and a bad --proxy-version in one line', async () => {
    assert.equal((await demo(['describe', 'svc', 'minio', '-o', 'json'])).stderr, 'error: describe prints text only: -o/--output does not apply\n');
    const v = await demo(['describe', 'svc', 'minio', '--proxy-version', 'banana']);
    assert.equal(v.exitCode, 2);
    assert.match(v.stderr, /^error: invalid --proxy-version "banana"/);
  });
});
