// Chain names: prefix + base32(sha256(service port name + protocol [+ endpoint]))[:16].
// Vectors: the walkthrough's chains, kube-proxy's unit-test expectations (~1.28/1.33) and the
// research note §2.3 (cross-checked against real dumps).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostPort } from '../../src/netfilter/addr.js';
import { endpointChain, hash16, joinHostPort, servicePortChain, servicePortName } from '../../src/proxy/names.js';

describe('kube-proxy chain names', () => {
  it("gives the walkthrough's chains for django-psql-example", () => {
    const web = servicePortName('test-services', 'django-psql-example', 'web', true);
    assert.equal(web, 'test-services/django-psql-example:web');
    assert.equal(servicePortChain('SVC', web, 'TCP'), 'KUBE-SVC-GIGN3HAIPPOO23F3');
    assert.equal(endpointChain(web, 'TCP', '10.254.4.24:8080'), 'KUBE-SEP-7ANA7OTZZO5QKVWN');
    assert.equal(endpointChain(web, 'TCP', '10.254.5.61:8080'), 'KUBE-SEP-JBBKRG73QF24CZJD');
    assert.equal(endpointChain(web, 'TCP', '10.254.5.66:8080'), 'KUBE-SEP-XU6QRWQ6NFR3D34U');
  });

  it('writes "ns/name:" for an unnamed port up to 1.18 and "ns/name" from 1.19', () => {
    assert.equal(servicePortName('test-nodeport', 'django-psql-example', '', true), 'test-nodeport/django-psql-example:');
    assert.equal(servicePortChain('SVC', 'test-nodeport/django-psql-example:', 'tcp'), 'KUBE-SVC-5YXNK7KOCSOUM3AE');
    assert.equal(servicePortName('default', 'nginx', '', false), 'default/nginx');
    assert.equal(servicePortChain('SVC', 'default/nginx:', 'tcp'), 'KUBE-SVC-4N57TFCL4MD7ZTDA');
    assert.equal(servicePortChain('SVC', 'default/nginx', 'tcp'), 'KUBE-SVC-2CMXP7HKUVJN7L6M');
  });

  it("matches kube-proxy's unit-test chain names", () => {
    assert.equal(servicePortChain('SVC', 'ns1/svc1:p80', 'tcp'), 'KUBE-SVC-XPGD46QRK7WJZT7O');
    assert.equal(servicePortChain('EXT', 'ns2/svc2:p80', 'tcp'), 'KUBE-EXT-GNZBNJ2PO5MGZ6GT');
    assert.equal(servicePortChain('FW', 'ns5/svc5:p80', 'tcp'), 'KUBE-FW-NUKIZ6OKUXPJNT4C');
    assert.equal(servicePortChain('SVC', 'ns1/svc1:p80', 'udp'), 'KUBE-SVC-OJWW7NSBVZTDHXNW');
    assert.equal(servicePortChain('SVC', 'ns1/svc1:p80', 'sctp'), 'KUBE-SVC-GFCIFIA5VTFSTMSM');
    assert.equal(endpointChain('ns1/svc1:p80', 'tcp', '10.180.0.1:80'), 'KUBE-SEP-SXIVWICOYRO3J4NJ');
    assert.equal(endpointChain('ns4/svc4:p80', 'tcp', '10.180.0.5:80'), 'KUBE-SEP-C6EBXVWJJZMIWKLZ');
    assert.equal(servicePortChain('SVC', 'kube-system/kube-dns:dns', 'UDP'), 'KUBE-SVC-TCOU7JCQXEZGVUNU');
    assert.equal(servicePortChain('SVC', 'default/kubernetes:https', 'TCP'), 'KUBE-SVC-NPX46M4PTMTKRN6Y');
  });

  it('brackets IPv6 endpoints before hashing, as net.JoinHostPort does', () => {
    assert.equal(joinHostPort('fd00:10::1', 80), '[fd00:10::1]:80');
    assert.equal(endpointChain('ns1/svc1:p80', 'tcp', joinHostPort('fd00:10::1', 80)), 'KUBE-SEP-RT5VHSJR44ZNF7G5');
    // the tracer's DNAT destinations (netfilter hostPort) are the same text
    for (const [ip, family] of [['10.180.0.1', 'ipv4'], ['fd00:10::1', 'ipv6'], ['::ffff:10.0.0.1', 'ipv6']] as const) assert.equal(joinHostPort(ip, 80), hostPort(ip, 80, family));
  });

  it('hash16 is 16 base32 characters', () => {
    assert.match(hash16(''), /^[A-Z2-7]{16}$/);
    assert.notEqual(hash16('a'), hash16('b'));
  });
});
