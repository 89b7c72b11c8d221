import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Service } from '../../src/cluster/types.js';
import { makePortString } from '../../src/output/ports.js';
import { printService, serviceExternalIP } from '../../src/output/service-rows.js';
import { NOW, ago, service } from '../helpers/objects.js';

const svc = (spec: Service['spec'], status?: Service['status']) => service({ name: 'service1', created: ago(156), spec, status });

describe('printService', () => {
  // Cases from printers_test.go TestPrintServiceLoadBalancer. kubectl's own test prints them
  // client-side (not wide); `kubectl get` prints the API server's always-wide table, so the
  // long EXTERNAL-IP list is never cut to "2.3.4.5,3.4.5..." here.
  it('lists load-balancer ingress IPs joined by commas', () => {
    const s = svc({ clusterIPs: ['1.2.3.4'], type: 'LoadBalancer', ports: [{ port: 80, protocol: 'TCP' }] }, { loadBalancer: { ingress: [{ ip: '2.3.4.5' }, { ip: '3.4.5.6' }] } });
    // Columns: Name, Type, Cluster-IP, External-IP, Port(s), Age, Selector
    assert.deepEqual(printService(s, NOW), ['service1', 'LoadBalancer', '1.2.3.4', '2.3.4.5,3.4.5.6', '80/TCP', '2m36s', '<none>']);
  });

  it('shows <pending> for a load balancer without ingress, and every port with its protocol', () => {
    const s = svc({
      clusterIPs: ['1.3.4.5'],
      type: 'LoadBalancer',
      ports: [
        { port: 80, protocol: 'TCP' },
        { port: 8090, protocol: 'UDP' },
        { port: 8000, protocol: 'TCP' },
        { port: 7777, protocol: 'SCTP' },
      ],
    });
    assert.deepEqual(printService(s, NOW).slice(2, 5), ['1.3.4.5', '<pending>', '80/TCP,8090/UDP,8000/TCP,7777/SCTP']);
  });

  it('never truncates the EXTERNAL-IP cell: an IP wins over the hostname of the same ingress', () => {
    const s = svc(
      { clusterIPs: ['1.5.6.7'], type: 'LoadBalancer', ports: [{ port: 80, protocol: 'TCP' }], selector: { foo: 'bar' } },
      { loadBalancer: { ingress: [{ ip: '2.3.4.5' }, { ip: '3.4.5.6' }, { ip: '5.6.7.8', hostname: 'host5678' }] } },
    );
    assert.equal(serviceExternalIP(s), '2.3.4.5,3.4.5.6,5.6.7.8');
    assert.equal(printService(s, NOW)[6], 'foo=bar');
  });

  it("prints an ELB hostname whole, as the walkthrough's test-loadbalancer listing shows", () => {
    const host = 'ac5c317cb9b0843588100b1b8889d999-389844834.us-east-2.elb.amazonaws.com';
    const s = svc({ clusterIP: '172.30.7.213', type: 'LoadBalancer', ports: [{ port: 8080, nodePort: 30927, protocol: 'TCP' }] }, { loadBalancer: { ingress: [{ hostname: host }] } });
    assert.deepEqual(printService(s, NOW).slice(1, 5), ['LoadBalancer', '172.30.7.213', host, '8080:30927/TCP']);
  });

  it('sorts and de-duplicates ingress addresses, then appends spec.externalIPs', () => {
    const s = svc(
      { clusterIPs: ['1.1.1.1'], type: 'LoadBalancer', externalIPs: ['9.9.9.9'] },
      { loadBalancer: { ingress: [{ ip: '3.3.3.3' }, { hostname: 'b.example' }, { ip: '3.3.3.3' }, { hostname: 'a.example' }] } },
    );
    assert.equal(serviceExternalIP(s), '3.3.3.3,a.example,b.example,9.9.9.9');
  });

  it('shows externalIPs, or <none>, for ClusterIP and NodePort services', () => {
    assert.equal(serviceExternalIP(svc({ type: 'ClusterIP', externalIPs: ['1.2.3.4', '5.6.7.8'] })), '1.2.3.4,5.6.7.8');
    assert.equal(serviceExternalIP(svc({ type: 'NodePort' })), '<none>');
  });

  it('shows the external name, and <none> for the cluster IP and ports, of an ExternalName service', () => {
    const s = svc({ type: 'ExternalName', externalName: 'minio.ocp4.labs.semperti.local' });
    assert.deepEqual(printService(s, NOW).slice(1, 5), ['ExternalName', '<none>', 'minio.ocp4.labs.semperti.local', '<none>']);
  });

  it('shows <unknown> as EXTERNAL-IP for an unknown type', () => {
    assert.equal(serviceExternalIP(svc({ type: 'Weird' })), '<unknown>');
  });

  it('shows None for a headless service and reads clusterIP when clusterIPs is absent', () => {
    assert.equal(printService(svc({ clusterIP: 'None', clusterIPs: ['None'] }), NOW)[2], 'None');
    assert.equal(printService(svc({ clusterIP: '172.30.85.132' }), NOW)[2], '172.30.85.132');
  });

  it('defaults the type to ClusterIP and the protocol to TCP, as the API server would', () => {
    assert.deepEqual(printService(svc({ clusterIP: '10.0.0.1', ports: [{ port: 80 }] }), NOW).slice(1, 5), ['ClusterIP', '10.0.0.1', '<none>', '80/TCP']);
  });

  it('formats the selector as sorted k=v pairs (Go sorts the pairs, not the keys)', () => {
    assert.equal(printService(svc({ selector: { 'a.b': 'y', a: 'x', z: '1' } }), NOW)[6], 'a.b=y,a=x,z=1');
  });
});

describe('makePortString', () => {
  it('writes port/protocol, port:nodePort/protocol with a node port, joined without spaces', () => {
    assert.equal(
      makePortString([
        { port: 8080, protocol: 'TCP' },
        { port: 53, nodePort: 30053, protocol: 'UDP' },
      ]),
      '8080/TCP,53:30053/UDP',
    );
  });
  it('is empty for no ports (the row then says <none>)', () => assert.equal(makePortString([]), ''));
});
