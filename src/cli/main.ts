// The command line: every command and flag is declared here once; a command's module is
// imported only when it runs, so `svctrace --demo get svc` never loads the live-cluster
// client. This is the one place that turns errors into stderr lines and exit codes.
import { Command, CommanderError, Option } from 'commander';
import { EXIT, ExitCode, SvctraceError, errorLine } from '../errors.js';
import type { CommandContext, CommandResult, GlobalOptions } from './context.js';

export const VERSION = '0.1.0';

export interface CliIO {
  env?: Record<string, string | undefined>;
  /** Standard input, for `-f -`; read lazily. */
  stdin?: () => Promise<string>;
  isTTY?: boolean;
}

export interface CliOutcome {
  stdout: string;
  stderr: string;
  exitCode: ExitCode;
}

type Runner = (ctx: CommandContext, ...args: never[]) => Promise<CommandResult>;
type Loader = () => Promise<{ run: Runner }>;

const collect = (value: string, previous: string[]) => [...previous, value];
const count = (_: string, previous: number) => previous + 1;

/** Flags of the kube-proxy model, shared by rules, trace and describe. */
function addProxyOptions(cmd: Command): Command {
  return cmd
    .option('--node <name>', 'the node whose rules to model (default: the first Node by name)')
    .option('--node-ip <ip>', "one of the node's addresses (repeatable)", collect, [])
    .option('--cluster-cidr <cidr>', 'pod network CIDR(s), comma-separated: traffic from outside is masqueraded')
    .option('--masquerade-all', 'masquerade all traffic to service IPs (kube-proxy --masquerade-all)')
    .option('--nodeport-addresses <cidrs>', 'CIDRs of the node addresses NodePorts answer on, comma-separated')
    .option('--no-localhost-nodeports', 'NodePorts do not answer on 127.0.0.1 (kube-proxy --iptables-localhost-nodeports=false)')
    .option('--proxy-config <file>', 'a KubeProxyConfiguration file (as in the kube-proxy ConfigMap)')
    .option('--proxy-version <x.y>', 'kube-proxy minor version whose rule format to use (default: the newest)')
    .addOption(new Option('--format <form>', 'rule text form').choices(['restore', 'save']))
    .option('--iptables-save <file>', "a real node's iptables-save dump to use instead of generated rules");
}

function buildProgram(
  run: (load: Loader, cmd: Command, args: unknown[]) => Promise<void>,
  write: { writeOut(s: string): void; writeErr(s: string): void },
): Command {
  // Output and exit settings first: subcommands copy them when they are created.
  const program = new Command('svctrace').configureOutput(write).exitOverride();
  program
    .description('Inspect Kubernetes/OpenShift Service networking: selectors, endpoints, kube-proxy iptables rules, packet traces.')
    .version(VERSION, '--version', 'print the svctrace version')
    .option('-f, --filename <path>', 'read objects from a file, directory or - for stdin (repeatable)', collect, [])
    .option('--demo', 'use the built-in demo cluster (the walkthrough\'s OpenShift cluster)', false)
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use')
    .option('-n, --namespace <ns>', 'namespace (default: the context\'s, else "default")')
    .option('-A, --all-namespaces', 'all namespaces', false)
    .option('-l, --selector <selector>', 'label selector (a=b, a!=b, a in (x,y), a notin (x), a, !a)')
    .option('-o, --output <format>', 'output format (json, yaml, name, wide, ...: depends on the command)')
    .option('--no-color', 'no colour (also when NO_COLOR is set or stdout is not a terminal)')
    .option('-v, --verbose', 'more detail on stderr (repeatable)', count, 0)
    .option('--request-timeout <duration>', 'timeout for each API request (live clusters), e.g. 30s', '30s');

  program
    .command('get')
    .description('list services, endpoints, endpointslices, pods or nodes as kubectl prints them')
    .argument('<type>', 'svc|ep|endpointslices|pods|nodes')
    .argument('[names...]', 'object names')
    .option('--no-headers', 'omit the header row')
    .option('--show-labels', 'add a LABELS column', false)
    .action((type, names, _o, cmd) => run(() => import('./get.js'), cmd, [type, names]));

  addProxyOptions(
    program
      .command('describe')
      .description('describe a service and join it to its selector, pods, endpoints and chains')
      .argument('<type>', 'svc')
      .argument('<name>', 'service name'),
  ).action((type, name, _o, cmd) => run(() => import('./describe.js'), cmd, [type, name]));

  program
    .command('explain')
    .description('documentation of a resource or field, as `oc explain` prints it (-o plaintext-openapiv2: its pre-1.24 layout)')
    .argument('<path>', 'TYPE[.field.path], e.g. service.spec.type')
    .option('--recursive', 'print the fields of fields', false)
    .option('--api-version <group/version>', 'API version of the type')
    .action((path, _o, cmd) => run(() => import('./explain.js'), cmd, [path]));

  addProxyOptions(
    program
      .command('rules')
      .description('the iptables rules kube-proxy writes, for a service, a namespace (-n) or everything (-A)')
      .argument('[service]', 'service name'),
  )
    .option('--diff <file>', "compare expected rules with a node's iptables-save dump")
    .action((service, _o, cmd) => run(() => import('./rules.js'), cmd, [service]));

  addProxyOptions(
    program
      .command('trace')
      .description('walk a packet through the NAT and filter chains: every branch, its odds, the verdict'),
  )
    .requiredOption('--to <target>', 'IP:PORT, svc/NAME[:PORT] or NAME.NS.svc[.cluster.local][:PORT]')
    .option('--from <source>', 'source: IP, pod/NAME or node (default: a pod on the node)')
    .option('--proto <protocol>', 'tcp, udp or sctp', 'tcp')
    .option('--affinity <state>', 'session affinity: "new" client, or "pinned" to an endpoint already', 'new')
    .action((_o, cmd) => run(() => import('./trace.js'), cmd, []));

  addProxyOptions(
    program.command('check').description('lint services for CI: selectors that match nothing, no ready endpoints, ...'),
  ).action((_o, cmd) => run(() => import('./check.js'), cmd, []));

  program
    .command('completion')
    .description('shell completion script')
    .argument('<shell>', 'bash, zsh or fish')
    .action((shell, _o, cmd) => run(() => import('./completion.js'), cmd, [shell]));

  return program;
}

/** The declared commands and flags, for shell completion. Nothing runs. */
export function commandTree(): Command {
  return buildProgram(async () => {}, { writeOut: () => {}, writeErr: () => {} });
}

function parseNow(env: Record<string, string | undefined>): Date {
  const fixed = env.SVCTRACE_NOW;
  if (!fixed) return new Date();
  const d = new Date(fixed);
  if (Number.isNaN(d.getTime())) return new Date();
  return d;
}

/** Runs one command line in-process and returns what it printed. Tests call this. */
export async function runCli(argv: string[], io: CliIO = {}): Promise<CliOutcome> {
  const env = io.env ?? process.env;
  let stdout = '';
  let stderr = '';
  let exitCode: ExitCode = EXIT.OK;

  const write = { writeOut: (s: string) => (stdout += s), writeErr: (s: string) => (stderr += s) };
  const program = buildProgram(async (load, cmd, args) => {
    const opts = cmd.optsWithGlobals() as Record<string, unknown>;
    const global = opts as unknown as GlobalOptions;
    const isTTY = io.isTTY ?? false;
    const ctx: CommandContext = {
      global,
      opts,
      given: (name) => {
        for (let c: Command | null = cmd; c; c = c.parent) {
          const src = c.getOptionValueSource(name);
          if (src === 'cli' || src === 'env') return true;
        }
        return false;
      },
      color: isTTY && global.color !== false && !env.NO_COLOR,
      isTTY,
      env,
      readStdin: io.stdin ?? (async () => ''),
      now: parseNow(env),
    };
    const { run } = await load();
    const result = await (run as (ctx: CommandContext, ...a: unknown[]) => Promise<CommandResult>)(ctx, ...args);
    stdout += result.stdout;
    stderr += result.stderr ?? '';
    exitCode = result.exitCode ?? EXIT.OK;
  }, write);

  try {
    await program.parseAsync(argv.slice(2), { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      exitCode = err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    } else {
      stderr += errorLine(err) + '\n';
      exitCode = err instanceof SvctraceError ? err.exitCode : EXIT.INTERNAL;
      if (exitCode === EXIT.INTERNAL && env.SVCTRACE_DEBUG && err instanceof Error) stderr += `${err.stack}\n`;
    }
  }
  return { stdout, stderr, exitCode };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** The process entry point used by bin/svctrace.js. */
export async function main(argv: string[]): Promise<void> {
  const outcome = await runCli(argv, {
    env: process.env,
    stdin: () => readAll(process.stdin),
    isTTY: Boolean(process.stdout.isTTY),
  });
  if (outcome.stdout) process.stdout.write(outcome.stdout);
  if (outcome.stderr) process.stderr.write(outcome.stderr);
  process.exitCode = outcome.exitCode;
}
