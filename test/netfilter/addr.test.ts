// Address text as libxtables reads it and as inet_ntop prints it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatIPv6, hostPort, parseIPv4, parseIPv4Aton, parseIPv4Strict, parseIPv6 } from '../../src/netfilter/addr.js';

const v6 = (text: string) => {
  const v = parseIPv6(text);
  return v === null ? null : formatIPv6(v);
};

describe('IPv6', () => {
  it('compresses the longest run of zero groups (the first on a tie), never a single group', () => {
    assert.equal(v6('2001:0:0:1:0:0:0:1'), '2001:0:0:1::1');
    assert.equal(v6('2001:db8:0:0:1:0:0:1'), '2001:db8::1:0:0:1');
    assert.equal(v6('2001:db8:0:1:1:1:1:1'), '2001:db8:0:1:1:1:1:1');
    assert.equal(v6('0:0:0:0:0:0:0:0'), '::');
    assert.equal(v6('1:0:0:0:0:0:0:0'), '1::');
    assert.equal(v6('0:0:0:0:0:0:0:1'), '::1');
  });
  it('prints IPv4-mapped and IPv4-compatible addresses with a dotted tail', () => {
    assert.equal(v6('::ffff:a00:1'), '::ffff:10.0.0.1');
    assert.equal(v6('::1.2.3.4'), '::1.2.3.4');
    assert.equal(v6('::0.0.1.0'), '::100');
  });
  it('reads what inet_pton reads and nothing else', () => {
    assert.equal(v6('FD00:0027:0000:0000:0000:0000:0000:00EB'), 'fd00:27::eb');
    for (const bad of [':1', '1:', '1:::2', '1::2::3', '12345::', '1:2:3:4:5:6:7:8:9', '::1:2:3:4:5:6:7:8', '::01.2.3.4', '']) {
      assert.equal(parseIPv6(bad), null, bad);
    }
  });
});

describe('IPv4', () => {
  it('libxtables: up to four base-0 parts, missing ones zero', () => {
    assert.equal(parseIPv4('10.1'), 0x0a010000);
    assert.equal(parseIPv4('010.0x10.0.1'), 0x08100001);
    assert.equal(parseIPv4('256.0.0.1'), null);
    assert.equal(parseIPv4('10.0.0', true), null);
  });
  it('inet_aton for conntrack hosts and recent masks', () => {
    assert.equal(parseIPv4Aton('10.1'), 0x0a000001);
    assert.equal(parseIPv4Aton('255.255'), 0xff0000ff);
    assert.equal(parseIPv4Aton('24'), 24);
  });
  it('inet_pton for NAT addresses', () => {
    assert.equal(parseIPv4Strict('010.0.0.1'), null);
    assert.equal(parseIPv4Strict('10.0.0.1'), 0x0a000001);
  });
});

describe('ip:port', () => {
  it('brackets IPv6 only', () => {
    assert.equal(hostPort('10.0.0.1', 80, 'ipv4'), '10.0.0.1:80');
    assert.equal(hostPort('fd00::1', 80, 'ipv6'), '[fd00::1]:80');
    assert.equal(hostPort('::ffff:10.0.0.1', 80, 'ipv6'), '[::ffff:10.0.0.1]:80');
  });
});
