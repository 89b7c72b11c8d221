// The packet lab: a Kubernetes node built from network namespaces and veth pairs, with real
// listeners and real clients, so that the rules svctrace renders can be judged by the kernel.
// docs/testing.md draws the topology; in short:
//
//   external ──eth0── node ──pN── pod (one namespace per pod: endpoints and client pods)
//   (LAN neighbour)    │
//                      └──up0── world (the node's default gateway: owns every other address)
//
// - node: the rules (iptables-restore into it), the nfacct counters kube-proxy 1.31+ creates
//   (its rules count into them), ip_forward, route_localnet=1 as kube-proxy sets it; its
//   InternalIPs on eth0, one gateway address per family on every pod link (the masquerade
//   source a pod sees), a route per pod. Probes from a node address or loopback run here, so
//   they go through nat OUTPUT.
// - pods: their addresses (/32, /128) on eth0, default route via the gateway.
// - external: a client on the node's LAN (address in the node's subnet) that also holds the
//   other outside client addresses (203.0.113.2, ...), routed by the node via its LAN address.
// - world: owns the addresses a packet can reach unchanged (cluster IPs on other ports, LB IPs,
//   ...), so that a packet the rules let through is answered there and seen as pass-through.
// Every namespace but the node answers TCP/UDP to a port nobody listens on with ICMP
// admin-prohibited, not with a reset, so that "refused" can only come from the node's rules.
// Nothing links to the host's network namespace: no packet leaves the lab.
import { canonical, familyOf, hostInCidr, inCidr, isLoopback } from './netlab-addr.js';
import { Agent, type Bind, type ProbeOutcome, type ProbeProtocol, type ProbeSpec } from './netlab-agent.js';
import assert from 'node:assert/strict';
import { createKubeProxyCounters, createNetns, deleteNetns, execIn, listSvctraceNetns, NETNS_PREFIX, removeStaleNetns, restore, save, spawnIn, type Backend, type IpFamily, type Netns } from './kernel.js';

export type { Bind, ProbeOutcome, ProbeProtocol } from './netlab-agent.js';

export interface LabSpec {
  /** the node's InternalIP addresses with their prefix, on eth0 (e.g. 192.168.0.2/24) */
  readonly nodeAddresses: readonly string[];
  /** the node's address on every pod link, one per family in use (e.g. 10.0.0.1) */
  readonly podGateways: readonly string[];
  /** one namespace per entry: the pod's addresses */
  readonly pods: readonly (readonly string[])[];
  /** outside clients: on the node's LAN when in its subnet, else routed via the LAN neighbour */
  readonly externalClients: readonly string[];
  /** addresses that neither the node nor a pod owns and that probes may reach unchanged */
  readonly worldAddresses: readonly string[];
  /** TCP and UDP listeners, placed in the namespace that owns the address */
  readonly listen: readonly Bind[];
}

export interface ProbeRequest {
  readonly source: string;
  readonly destination: string;
  readonly port: number;
  readonly protocol: ProbeProtocol;
  /** how long to wait before calling it a DROP (default 3000 ms) */
  readonly timeoutMs?: number;
}

export type ProbeResult = ProbeOutcome & { readonly sourcePort: number };

type Role = 'node' | 'external' | 'world' | 'pod';

interface Host {
  readonly role: Role;
  readonly name: string;
  readonly ns: Netns;
  readonly addresses: string[];
  readonly listen: Bind[];
  agent?: Agent;
  /** the node's address on the link towards this host, per family (the masquerade source it sees) */
  readonly nodeSide: Map<IpFamily, string>;
}

const UPLINK = { ipv4: { node: '100.64.0.1', world: '100.64.0.2', prefix: 30 }, ipv6: { node: 'fc00:ffff::1', world: 'fc00:ffff::2', prefix: 126 } } as const;
const FIRST_SOURCE_PORT = 33000;
const LAST_SOURCE_PORT = 60999;

const NODE_SYSCTLS = [
  'net.ipv4.ip_forward=1',
  // kube-proxy sets it so that localhost NodePorts can be DNATed off the node
  'net.ipv4.conf.all.route_localnet=1',
  'net.ipv4.conf.all.rp_filter=0',
  'net.ipv4.conf.default.rp_filter=0',
  // the external client and the world share no link: no redirects that would bypass conntrack
  'net.ipv4.conf.all.send_redirects=0',
  'net.ipv4.conf.default.send_redirects=0',
  'net.ipv6.conf.all.forwarding=1',
];
const HOST_SYSCTLS = ['net.ipv4.conf.all.rp_filter=0', 'net.ipv4.conf.default.rp_filter=0', 'net.ipv4.conf.all.accept_redirects=0', 'net.ipv6.conf.all.accept_redirects=0'];
// Every namespace: IPv6 addresses usable at once (no duplicate address detection delay), and no
// ICMP rate limit, so that every REJECT of a batch is seen (the kernel otherwise sends about one
// error per second per destination after a burst of six).
const ALL_SYSCTLS = [
  'net.ipv6.conf.all.accept_dad=0',
  'net.ipv6.conf.default.accept_dad=0',
  'net.ipv4.icmp_ratelimit=0',
  'net.ipv6.icmp.ratelimit=0',
  'net.ipv4.icmp_msgs_per_sec=1000000',
  'net.ipv4.icmp_msgs_burst=1000000',
];

const plen = (address: string) => (familyOf(address) === 'ipv4' ? 32 : 128);
const v6 = (address: string) => (familyOf(address) === 'ipv6' ? ' nodad' : '');

function check(what: string, r: { status: number; stderr: string }): void {
  if (r.status !== 0) throw new Error(`${what} failed: ${r.stderr.trim()}`);
}

/** Runs a shell script inside the namespace (set -e), asynchronously: hosts are set up in parallel. */
function runScript(ns: Netns, script: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawnIn(ns, 'sh', ['-e', '-s']);
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout!.resume();
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`lab setup in ${ns.name} failed (${code}): ${stderr.trim()}\n${script}`))));
    child.stdin!.end(script);
  });
}

const heredoc = (command: string, body: string) => `${command} <<'LAB_EOF'\n${body.endsWith('\n') ? body : body + '\n'}LAB_EOF\n`;
const ipBatch = (lines: readonly string[]) => heredoc('ip -batch -', lines.join('\n'));
const sysctl = (settings: readonly string[]) => `sysctl -q -w ${settings.join(' ')}\n`;

// "refused" must mean the node's REJECT: other namespaces refuse closed ports another way
// (admin-prohibited: EHOSTUNREACH / EACCES at the client). Legacy backend: no nf_tables commit
// wait; -w: its lock (/run/xtables.lock) is shared by every namespace and every test file.
function closedPorts(family: IpFamily): string {
  const code = family === 'ipv4' ? 'icmp-admin-prohibited' : 'icmp6-adm-prohibited';
  const rules = ['*filter', ':INPUT ACCEPT [0:0]', '-A INPUT -p tcp -m socket -j ACCEPT', '-A INPUT -p udp -m socket -j ACCEPT', `-A INPUT -p tcp -j REJECT --reject-with ${code}`, `-A INPUT -p udp -j REJECT --reject-with ${code}`, 'COMMIT'];
  return heredoc(family === 'ipv4' ? 'iptables-legacy-restore -w' : 'ip6tables-legacy-restore -w', rules.join('\n'));
}

export class Lab {
  private readonly hosts: Host[] = [];
  private readonly owners = new Map<string, Host>();
  private readonly nextPort = new Map<string, number>();
  private readonly listening = new Set<string>();
  private closed = false;

  private constructor(readonly spec: LabSpec) {}

  /** Builds the lab; on any failure it tears down what it made and throws. */
  static async create(spec: LabSpec): Promise<Lab> {
    const lab = new Lab(spec);
    try {
      await lab.build();
      await lab.startAgents();
    } catch (err) {
      await lab.close();
      throw err;
    }
    return lab;
  }

  /** The host (namespace) that owns `address`, if any. */
  ownerOf(address: string): { role: Role; name: string } | undefined {
    const a = canonical(address);
    if (isLoopback(a)) return this.hosts[0];
    return this.owners.get(a);
  }

  /** Loads a ruleset into the node, replacing the tables it names (iptables-restore without --noflush). */
  load(text: string, opts: { backend: Backend; family: IpFamily }): void {
    check(`iptables-restore (${opts.backend}, ${opts.family}) into the lab node`, restore(this.node.ns, { ...opts, text }));
  }

  /** What iptables-save prints in the node now, per table. */
  dump(opts: { backend: Backend; family: IpFamily }): Map<string, string> {
    return save(this.node.ns, opts);
  }

  /** The node's `-m recent` lists (/proc/net/xt_recent): list name -> the addresses in it. */
  recentLists(): Map<string, string[]> {
    const r = execIn(this.node.ns, 'sh', ['-c', 'cd /proc/net/xt_recent 2>/dev/null || exit 0; for f in *; do [ -e "$f" ] && sed "s|^|$f |" "$f"; done; true']);
    check('reading /proc/net/xt_recent in the lab node', r);
    const lists = new Map<string, string[]>();
    for (const line of r.stdout.split('\n')) {
      const m = /^(\S+) src=(\S+)/.exec(line);
      if (!m) continue;
      const list = lists.get(m[1]!) ?? [];
      list.push(canonical(m[2]!));
      lists.set(m[1]!, list);
    }
    return lists;
  }

  /** The node's nfacct counters (`nfacct list`): object name -> packets counted so far. */
  nfacctPackets(): Map<string, number> {
    const r = execIn(this.node.ns, 'nfacct', ['list']);
    check('nfacct list in the lab node', r);
    const counters = new Map<string, number>();
    for (const line of r.stdout.split('\n')) {
      // { pkts = 00000000000000000024, bytes = 00000000000000001440 } = localhost_nps_accepted_pkts;
      const m = /^\{ pkts = (\d+), bytes = \d+ \} = (.*);$/.exec(line.trim());
      if (m) counters.set(m[2]!, Number(m[1]));
    }
    return counters;
  }

  /** The node's own addresses as the kernel has them (what addrtype LOCAL matches). */
  localAddresses(): string[] {
    const r = execIn(this.node.ns, 'ip', ['-j', 'addr', 'show']);
    check('ip addr show in the lab node', r);
    const links = JSON.parse(r.stdout) as { addr_info?: { local: string }[] }[];
    return [...new Set(links.flatMap((l) => (l.addr_info ?? []).map((a) => canonical(a.local))))];
  }

  /** The source address a host sees when the node masquerades a packet to it. */
  masqueradeSource(responder: string, family: IpFamily): string | undefined {
    return this.hosts.find((h) => h.name === responder)?.nodeSide.get(family);
  }

  /**
   * Runs the probes, each from the namespace that owns its source address, with a source port
   * no earlier probe from that address used (so every probe is a new conntrack entry); all
   * namespaces at once, `concurrency` probes at a time in each. Results in request order.
   */
  async probe(requests: readonly ProbeRequest[], concurrency = 64): Promise<ProbeResult[]> {
    const byHost = new Map<Host, { index: number; spec: ProbeSpec }[]>();
    requests.forEach((r, index) => {
      const host = this.ownerOf(r.source) as Host | undefined;
      if (!host) throw new Error(`no lab namespace owns probe source ${r.source}`);
      const spec: ProbeSpec = { source: canonical(r.source), sourcePort: this.sourcePort(r.source), destination: canonical(r.destination), port: r.port, protocol: r.protocol, timeoutMs: r.timeoutMs ?? 3000 };
      let list = byHost.get(host);
      if (!list) byHost.set(host, (list = []));
      list.push({ index, spec });
    });
    const results: ProbeResult[] = new Array(requests.length);
    await Promise.all(
      [...byHost].map(async ([host, list]) => {
        const outcomes = await host.agent!.probe(list.map((l) => l.spec), concurrency);
        outcomes.forEach((o, i) => (results[list[i]!.index] = { ...o, sourcePort: list[i]!.spec.sourcePort }));
      }),
    );
    return results;
  }

  /** Stops the agents and deletes every namespace; safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled(this.hosts.map((h) => h.agent?.stop()));
    for (const h of this.hosts) deleteNetns(h.ns);
  }

  private get node(): Host {
    return this.hosts[0]!;
  }

  private sourcePort(source: string): number {
    const a = canonical(source);
    let port = this.nextPort.get(a) ?? FIRST_SOURCE_PORT;
    while (this.listening.has(`${a}|${port}`)) port++;
    if (port > LAST_SOURCE_PORT) throw new Error(`lab: source ports of ${a} used up`);
    this.nextPort.set(a, port + 1);
    return port;
  }

  private addHost(role: Role, name: string, addresses: readonly string[]): Host {
    const host: Host = { role, name, ns: createNetns(), addresses: addresses.map(canonical), listen: [], nodeSide: new Map() };
    this.hosts.push(host);
    for (const a of host.addresses) {
      const other = this.owners.get(a);
      if (other) throw new Error(`lab: address ${a} given to both ${other.name} and ${name}`);
      this.owners.set(a, host);
    }
    return host;
  }

  private async build(): Promise<void> {
    const spec = this.spec;
    const nodeIPs = spec.nodeAddresses.map((c) => canonical(c.split('/')[0]!));
    const families = [...new Set([...spec.nodeAddresses, ...spec.pods.flat(), ...spec.externalClients, ...spec.worldAddresses].map(familyOf))];
    const gateway = (f: IpFamily) => spec.podGateways.map(canonical).find((g) => familyOf(g) === f);
    const subnetOf = (f: IpFamily) => spec.nodeAddresses.find((c) => familyOf(c) === f);
    const onLink = (a: string) => {
      const subnet = subnetOf(familyOf(a));
      return subnet !== undefined && inCidr(a, subnet) ? subnet : undefined;
    };

    const node = this.addHost('node', 'node', [...nodeIPs, ...spec.podGateways, ...families.map((f) => UPLINK[f].node)]);
    // The LAN neighbour's own address in the node's subnet: an external client there, or .200.
    const lanAddress = new Map<IpFamily, string>();
    for (const f of families) {
      const subnet = subnetOf(f);
      if (subnet) lanAddress.set(f, canonical(spec.externalClients.find((a) => familyOf(a) === f && inCidr(a, subnet)) ?? hostInCidr(subnet, f === 'ipv4' ? 200 : 0x200)));
    }
    const external = this.addHost('external', 'external', [...new Set([...lanAddress.values(), ...spec.externalClients.map(canonical)])]);
    const world = this.addHost('world', 'world', [...families.map((f) => UPLINK[f].world), ...spec.worldAddresses]);
    const pods = spec.pods.map((addresses) => this.addHost('pod', `pod ${canonical(addresses[0]!)}`, addresses));

    // The node makes every link (from inside, so no interface ever appears in the host's namespace).
    const nodeLines = ['link set lo up', `link add eth0 type veth peer name eth0 netns ${external.ns.name}`, `link add up0 type veth peer name eth0 netns ${world.ns.name}`];
    pods.forEach((p, i) => nodeLines.push(`link add p${i} type veth peer name eth0 netns ${p.ns.name}`));
    for (const c of spec.nodeAddresses) nodeLines.push(`addr add ${c} dev eth0${v6(c)}`);
    for (const f of families) {
      nodeLines.push(`addr add ${UPLINK[f].node}/${UPLINK[f].prefix} dev up0${v6(UPLINK[f].node)}`);
      external.nodeSide.set(f, nodeIPs.find((a) => familyOf(a) === f) ?? UPLINK[f].node);
      world.nodeSide.set(f, UPLINK[f].node);
    }
    nodeLines.push('link set eth0 up', 'link set up0 up');
    pods.forEach((p, i) => {
      for (const f of new Set(p.addresses.map(familyOf))) {
        const g = gateway(f);
        if (!g) throw new Error(`lab: pod ${p.addresses[0]} has an ${f} address but no ${f} pod gateway is given`);
        nodeLines.push(`addr add ${g}/${plen(g)} dev p${i}${v6(g)}`);
        p.nodeSide.set(f, g);
      }
      nodeLines.push(`link set p${i} up`);
      for (const a of p.addresses) nodeLines.push(`route add ${a}/${plen(a)} dev p${i}`);
    });
    for (const a of external.addresses) {
      if (onLink(a)) continue;
      const via = lanAddress.get(familyOf(a));
      if (!via) throw new Error(`lab: external client ${a} needs a node ${familyOf(a)} address to be routed`);
      nodeLines.push(`route add ${a}/${plen(a)} via ${via}`);
    }
    for (const f of families) nodeLines.push(`route add default via ${UPLINK[f].world}`);
    await runScript(node.ns, sysctl([...ALL_SYSCTLS, ...NODE_SYSCTLS]) + ipBatch(nodeLines));
    createKubeProxyCounters(node.ns);

    // The LAN neighbour: on-link addresses on eth0, the others on lo; default route via the node.
    const extLines = ['link set lo up', 'link set eth0 up'];
    for (const a of external.addresses) {
      const subnet = onLink(a);
      extLines.push(subnet ? `addr add ${a}/${subnet.split('/')[1]} dev eth0${v6(a)}` : `addr add ${a}/${plen(a)} dev lo${v6(a)}`);
    }
    for (const f of lanAddress.keys()) extLines.push(`route add default via ${nodeIPs.find((a) => familyOf(a) === f)}`);

    const worldLines = ['link set lo up', 'link set eth0 up'];
    for (const f of families) worldLines.push(`addr add ${UPLINK[f].world}/${UPLINK[f].prefix} dev eth0${v6(UPLINK[f].world)}`, `route add default via ${UPLINK[f].node}`);
    for (const a of world.addresses.slice(families.length)) worldLines.push(`addr add ${a}/${plen(a)} dev lo${v6(a)}`);

    const hostLines = new Map<Host, string[]>([[external, extLines], [world, worldLines]]);
    for (const p of pods) {
      const lines = ['link set lo up', 'link set eth0 up'];
      for (const a of p.addresses) lines.push(`addr add ${a}/${plen(a)} dev eth0${v6(a)}`);
      for (const g of p.nodeSide.values()) lines.push(`route add default via ${g} dev eth0 onlink`);
      hostLines.set(p, lines);
    }
    await Promise.all(
      [...hostLines].map(([h, lines]) => runScript(h.ns, sysctl([...ALL_SYSCTLS, ...HOST_SYSCTLS]) + ipBatch(lines) + [...new Set(h.addresses.map(familyOf))].map(closedPorts).join(''))),
    );

    for (const b of spec.listen) {
      const host = this.ownerOf(b.address) as Host | undefined;
      if (!host) throw new Error(`lab: no namespace owns listener address ${b.address}`);
      const bind = { address: canonical(b.address), port: b.port };
      if (this.listening.has(`${bind.address}|${bind.port}`)) continue;
      this.listening.add(`${bind.address}|${bind.port}`);
      host.listen.push(bind);
    }
  }

  private async startAgents(): Promise<void> {
    const started = await Promise.allSettled(this.hosts.map(async (h) => (h.agent = await Agent.start(h.ns, h.name, h.listen))));
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
  }
}

/** Runs fn with a lab built from spec and always tears it down. */
export async function withLab<T>(spec: LabSpec, fn: (lab: Lab) => T | Promise<T>): Promise<T> {
  const lab = await Lab.create(spec);
  try {
    return await fn(lab);
  } finally {
    await lab.close();
  }
}

/** Before a lab suite: deletes the namespaces of runs that died (when this process may). */
export function removeStaleLabs(): void {
  if (process.getuid?.() !== 0) return;
  try {
    removeStaleNetns();
  } catch {
    // no `ip`: the lab tests skip (or fail under SVCTRACE_REQUIRE_PREREQS=1) on their own
  }
}

/** After a lab suite: no namespace of this process may remain (each lab deletes its own). */
export function assertNoLabLeft(): void {
  if (process.getuid?.() !== 0) return;
  const left = listSvctraceNetns().filter((n) => n.startsWith(NETNS_PREFIX));
  assert.deepEqual(left, [], `network namespaces left behind: ${left.join(', ')}`);
}
