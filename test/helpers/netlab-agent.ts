// Drives one lab agent (test/helpers/netlab/agent.mjs) inside a network namespace: it listens
// on the addresses it is given and runs batches of probes from its namespace. One JSON line per
// message each way; the agent exits when its stdin closes.
import type { ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { spawnIn, type Netns } from './kernel.js';

const AGENT = join(dirname(fileURLToPath(import.meta.url)), 'netlab', 'agent.mjs');

export type ProbeProtocol = 'tcp' | 'udp';

export interface Bind {
  readonly address: string;
  readonly port: number;
}

export interface ProbeSpec {
  readonly source: string;
  readonly sourcePort: number;
  readonly destination: string;
  readonly port: number;
  readonly protocol: ProbeProtocol;
  readonly timeoutMs: number;
}

/**
 * What came back: an answer from a lab listener (its name, the address:port the packet reached,
 * the source address it saw), refused (ECONNREFUSED), timeout (nothing), or another socket error.
 */
export type ProbeOutcome =
  | { readonly outcome: 'answer'; readonly responder: string; readonly local: string; readonly peer: string }
  | { readonly outcome: 'refused' }
  | { readonly outcome: 'timeout' }
  | { readonly outcome: 'error'; readonly code: string };

interface Pending {
  resolve: (results: ProbeOutcome[]) => void;
  reject: (err: Error) => void;
}

export class Agent {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private stderr = '';
  private exited = false;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {}

  /** Starts the agent in `ns`, listening on TCP and UDP at every bind; resolves once it listens. */
  static start(ns: Netns, name: string, listen: readonly Bind[]): Promise<Agent> {
    const child = spawnIn(ns, process.execPath, [AGENT, JSON.stringify({ name, listen })]);
    const agent = new Agent(name, child);
    return new Promise((resolve, reject) => {
      let ready = false;
      child.stderr!.setEncoding('utf8').on('data', (d: string) => (agent.stderr += d));
      child.on('error', reject);
      child.on('exit', (code) => {
        agent.exited = true;
        const err = new Error(`lab agent ${name} exited (${code}): ${agent.stderr.trim()}`);
        if (!ready) reject(err);
        for (const p of agent.pending.values()) p.reject(err);
        agent.pending.clear();
      });
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const msg = JSON.parse(line) as { ready?: boolean; error?: string; id?: number; results?: ProbeOutcome[] };
        if (msg.ready !== undefined) {
          ready = msg.ready;
          if (msg.ready) resolve(agent);
          else reject(new Error(`lab agent ${name} could not listen: ${msg.error}`));
          return;
        }
        const p = agent.pending.get(msg.id!);
        agent.pending.delete(msg.id!);
        p?.resolve(msg.results!);
      });
    });
  }

  /** Runs the probes from this agent's namespace, `concurrency` at a time; outcomes in order. */
  probe(probes: readonly ProbeSpec[], concurrency: number): Promise<ProbeOutcome[]> {
    if (probes.length === 0) return Promise.resolve([]);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.stdin!.write(JSON.stringify({ id, probes, concurrency }) + '\n');
    });
  }

  /** Closes its stdin (it exits by itself); kills it by pid if it has not gone within 2 s. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin!.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 2000);
    await gone;
    clearTimeout(timer);
  }
}
