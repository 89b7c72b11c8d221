// kube-proxy's chain names are a pure function of the service port (and endpoint): the
// prefix plus the first 16 characters of base32(sha256(name + protocol [+ endpoint])).
// See portProtoHash and servicePortEndpointChainName in pkg/proxy/iptables/proxier.go.
import { createHash } from 'node:crypto';
import { hostPort } from '../netfilter/addr.js';
import type { ChainRole } from './line-writer.js';

export const CHAIN_PREFIX = {
  /** balances over the cluster-wide endpoints ("cluster policy") */
  SVC: 'KUBE-SVC-',
  /** balances over the node-local endpoints ("local policy", 1.24+) */
  SVL: 'KUBE-SVL-',
  /** external destinations: NodePort, externalIPs, load-balancer IPs (1.24+) */
  EXT: 'KUBE-EXT-',
  /** load-balancer source-range firewall */
  FW: 'KUBE-FW-',
  /** externalTrafficPolicy: Local before 1.24 */
  XLB: 'KUBE-XLB-',
  /** one endpoint: masquerade hairpin traffic, then DNAT */
  SEP: 'KUBE-SEP-',
} as const;

export type ChainKind = keyof typeof CHAIN_PREFIX;

/** What each kind of chain is to its service port (the role the renderer declares it with). */
const ROLE_OF_KIND: Readonly<Record<ChainKind, ChainRole>> = {
  SVC: 'service', SVL: 'local', EXT: 'external', FW: 'firewall', XLB: 'xlb', SEP: 'endpoint',
};

/** The role of a kube-proxy per-service chain, by its prefix; undefined for any other chain. */
export function chainRole(chain: string): ChainRole | undefined {
  const kind = (Object.keys(CHAIN_PREFIX) as ChainKind[]).find((k) => chain.startsWith(CHAIN_PREFIX[k]));
  return kind && ROLE_OF_KIND[kind];
}

/**
 * A per-service chain name (of the kinds given, else any) as a regular-expression source, for
 * finding such chains in rule text: a prefix and the 16 characters hash16 writes.
 */
export function chainNamePattern(kinds: readonly ChainKind[] = Object.keys(CHAIN_PREFIX) as ChainKind[]): string {
  return `(?:${kinds.map((k) => CHAIN_PREFIX[k]).join('|')})[A-Z2-7]{16}`;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 of the first 10 bytes of sha256(input): exactly the 16 characters used. */
export function hash16(input: string): string {
  const digest = createHash('sha256').update(input, 'utf8').digest();
  let out = '';
  let bits = 0;
  let value = 0;
  for (let i = 0; i < 10; i++) {
    value = (value << 8) | digest[i]!;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out;
}

/**
 * The service port's name as kube-proxy prints it: "ns/name:port". kube-proxy up to 1.18
 * always wrote the colon (an unnamed port gives "ns/name:"); 1.19 and newer omit ":" when
 * the port has no name.
 */
export function servicePortName(namespace: string, name: string, portName: string, colonWhenUnnamed: boolean): string {
  if (portName === '' && !colonWhenUnnamed) return `${namespace}/${name}`;
  return `${namespace}/${name}:${portName}`;
}

/** Lower-case protocol, as kube-proxy hashes and writes it ("tcp", "udp", "sctp"). */
export const protocolWord = (protocol: string | undefined) => (protocol ?? 'TCP').toLowerCase();

/** KUBE-SVC-/SVL-/EXT-/FW-/XLB- chain of a service port. */
export function servicePortChain(kind: Exclude<ChainKind, 'SEP'>, portName: string, protocol: string): string {
  return CHAIN_PREFIX[kind] + hash16(portName + protocolWord(protocol));
}

/** KUBE-SEP- chain of one endpoint ("10.1.2.3:80" or "[fd00::1]:80") of a service port. */
export function endpointChain(portName: string, protocol: string, endpoint: string): string {
  return CHAIN_PREFIX.SEP + hash16(portName + protocolWord(protocol) + endpoint);
}

/**
 * "ip:port", or "[ip]:port" for IPv6, as Go's net.JoinHostPort writes it (kube-proxy's endpoint
 * strings, kubectl's ENDPOINTS): the text is netfilter's hostPort, but the family is read off the
 * text, brackets when it holds a ':', because the callers have object text, not a parsed address.
 */
export function joinHostPort(ip: string, port: number): string {
  return hostPort(ip, port, ip.includes(':') ? 'ipv6' : 'ipv4');
}
