// Address helpers for the packet lab: family, canonical text, CIDR membership, ip:port text.
import { addressIn, formatAddress, hostPort as formatHostPort, parseAddress, parseAddressMask } from '../../src/netfilter/addr.js';
import type { Family } from '../../src/netfilter/index.js';

export const familyOf = (address: string): Family => (address.includes(':') ? 'ipv6' : 'ipv4');

/** The address as the kernel and Node print it (IPv6 lower case, compressed). */
export function canonical(address: string): string {
  const family = familyOf(address);
  const value = parseAddress(address, family);
  if (value === null) throw new Error(`not an IP address: ${address}`);
  return formatAddress(value, family);
}

/** True when `address` lies in `cidr` (both of one family). */
export function inCidr(address: string, cidr: string): boolean {
  if (familyOf(address) !== familyOf(cidr)) return false;
  const am = parseAddressMask(cidr, familyOf(cidr));
  if (typeof am === 'string') throw new Error(`bad CIDR ${cidr}: ${am}`);
  return addressIn(address, am);
}

/** `ip:port`, or `[ip]:port` for IPv6, the address canonical (the tracer's and the lab listeners' form). */
export const hostPort = (address: string, port: number): string => formatHostPort(canonical(address), port, familyOf(address));

/** The address of `cidr`'s network plus `offset`, e.g. (192.168.0.0/24, 200) -> 192.168.0.200. */
export function hostInCidr(cidr: string, offset: number): string {
  const family = familyOf(cidr);
  const am = parseAddressMask(cidr, family);
  if (typeof am === 'string') throw new Error(`bad CIDR ${cidr}: ${am}`);
  return formatAddress(parseAddress(am.address, family)! + BigInt(offset), family);
}

export const isLoopback = (address: string): boolean => (familyOf(address) === 'ipv4' ? inCidr(address, '127.0.0.0/8') : canonical(address) === '::1');
