import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Service } from '../../src/cluster/types.js';
import { makePortString } from '../../src/output/ports.js';
import { printService, serviceExternalIP } from '../../src/output/service-rows.js';
import { NOW, ago, service, wire } from '../helpers/objects.js';

const svc = (spec: Service['spec'], status?: Service['status']) => service({ name: 'service1', created: ago(156), spec, status });

// Ports of kubernetes/kubernetes pkg/printers/internalversion/printers_test.go:
// TestPrintService (7 cases), TestPrintServiceLoadBalancer (5), TestPrintServiceList (1 list,
// 2 rows) and the Service entry of TestTableRowDeepCopyShouldNotPanic. Objects in wire form;
// none sets a creation time, so AGE is <unknown>. printService gives every column; a case
// kubectl prints without Wide compares the first six.
const svcOf = (name: string, spec: object, status?: object): Service => wire<Service>({ metadata: { name }, spec, ...(status ? { status } : {}) });
const tcp = (port: number, nodePort?: number) => ({ protocol: 'tcp', port, ...(nodePort ? { nodePort } : {}) });

describe('printService: printers_test.go TestPrintService', () => {
  const singleExternalIP = ['80.11.12.10'];
  const mulExternalIP = ['80.11.12.10', '80.11.12.11'];
  const cases: [string, Service, boolean, string[]][] = [
    [
      'Test name, cluster ip, port with protocol (the selector is not printed)',
      svcOf('test1', { type: 'ClusterIP', ports: [tcp(2233)], clusterIPs: ['10.9.8.7'], selector: { foo: 'bar' } }),
      false,
      ['test1', 'ClusterIP', '10.9.8.7', '<none>', '2233/tcp', '<unknown>'],
    ],
    [
      'Test generate options: Wide includes selectors.',
      svcOf('test1', { type: 'ClusterIP', ports: [tcp(2233)], clusterIPs: ['10.9.8.7'], selector: { foo: 'bar' } }),
      true,
      ['test1', 'ClusterIP', '10.9.8.7', '<none>', '2233/tcp', '<unknown>', 'foo=bar'],
    ],
    ['Test NodePort service', svcOf('test2', { type: 'NodePort', ports: [tcp(8888, 9999)], clusterIPs: ['10.9.8.7'] }), false, ['test2', 'NodePort', '10.9.8.7', '<none>', '8888:9999/tcp', '<unknown>']],
    ['Test LoadBalancer service', svcOf('test3', { type: 'LoadBalancer', ports: [tcp(8888)], clusterIPs: ['10.9.8.7'] }), false, ['test3', 'LoadBalancer', '10.9.8.7', '<pending>', '8888/tcp', '<unknown>']],
    [
      'Test LoadBalancer service with single ExternalIP and no LoadBalancerStatus',
      svcOf('test4', { type: 'LoadBalancer', ports: [tcp(8888)], clusterIPs: ['10.9.8.7'], externalIPs: singleExternalIP }),
      false,
      ['test4', 'LoadBalancer', '10.9.8.7', '80.11.12.10', '8888/tcp', '<unknown>'],
    ],
    [
      'Test LoadBalancer service with single ExternalIP',
      svcOf(
        'test5',
        { type: 'LoadBalancer', ports: [tcp(8888)], clusterIPs: ['10.9.8.7'], externalIPs: singleExternalIP },
        { loadBalancer: { ingress: [{ ip: '3.4.5.6', hostname: 'test.cluster.com' }] } },
      ),
      false,
      ['test5', 'LoadBalancer', '10.9.8.7', '3.4.5.6,80.11.12.10', '8888/tcp', '<unknown>'],
    ],
    [
      'Test LoadBalancer service with mul ExternalIPs',
      svcOf(
        'test6',
        { type: 'LoadBalancer', ports: [tcp(8888)], clusterIPs: ['10.9.8.7'], externalIPs: mulExternalIP },
        {
          loadBalancer: {
            ingress: [
              { ip: '2.3.4.5', hostname: 'test.cluster.local' },
              { ip: '3.4.5.6', hostname: 'test.cluster.com' },
            ],
          },
        },
      ),
      false,
      ['test6', 'LoadBalancer', '10.9.8.7', '2.3.4.5,3.4.5.6,80.11.12.10,80.11.12.11', '8888/tcp', '<unknown>'],
    ],
    [
      'Test ExternalName service',
      svcOf('test7', { type: 'ExternalName', externalName: 'my.database.example.com' }),
      false,
      ['test7', 'ExternalName', '<none>', 'my.database.example.com', '<none>', '<unknown>'],
    ],
  ];
  for (const [name, svc, wide, expected] of cases) {
    it(name, () => {
      // Columns: Name, Type, Cluster-IP, External-IP, Port(s), Age (, Selector with Wide)
      assert.deepEqual(printService(svc, NOW).slice(0, wide ? 7 : 6), expected);
    });
  }

  it('TestPrintServiceList: one row per service, the protocol as written', () => {
    const list = [
      svcOf('service1', { type: 'ClusterIP', ports: [tcp(2233)], clusterIPs: ['10.9.8.7'] }),
      svcOf('service2', { type: 'NodePort', ports: [{ protocol: 'udp', port: 5566 }], clusterIPs: ['1.2.3.4'] }),
    ];
    // Columns: Name, Type, Cluster-IP, External-IP, Port(s), Age
    assert.deepEqual(
      list.map((s) => printService(s, NOW).slice(0, 6)),
      [
        ['service1', 'ClusterIP', '10.9.8.7', '<none>', '2233/tcp', '<unknown>'],
        ['service2', 'NodePort', '1.2.3.4', '<none>', '5566/udp', '<unknown>'],
      ],
    );
  });

  it('TestTableRowDeepCopyShouldNotPanic: an empty Service still gives a row', () => {
    assert.equal(printService(wire<Service>({}), NOW).length, 7);
  });
});

describe('printService: printers_test.go TestPrintServiceLoadBalancer', () => {
  const lbPorts = [
    { port: 80, protocol: 'TCP' },
    { port: 8090, protocol: 'UDP' },
    { port: 8000, protocol: 'TCP' },
  ];
  const threeIngress = { loadBalancer: { ingress: [{ ip: '2.3.4.5' }, { ip: '3.4.5.6' }, { ip: '5.6.7.8', hostname: 'host5678' }] } };
  const cases: [string, Service, boolean, string[]][] = [
    [
      "Test load balancer service with multiple external IP's",
      svcOf('service1', { clusterIPs: ['1.2.3.4'], type: 'LoadBalancer', ports: [{ port: 80, protocol: 'TCP' }] }, { loadBalancer: { ingress: [{ ip: '2.3.4.5' }, { ip: '3.4.5.6' }] } }),
      false,
      ['service1', 'LoadBalancer', '1.2.3.4', '2.3.4.5,3.4.5.6', '80/TCP', '<unknown>'],
    ],
    [
      'Test load balancer service with pending external IP.',
      svcOf('service2', { clusterIPs: ['1.3.4.5'], type: 'LoadBalancer', ports: [...lbPorts.slice(0, 2), lbPorts[2], { port: 7777, protocol: 'SCTP' }] }),
      false,
      ['service2', 'LoadBalancer', '1.3.4.5', '<pending>', '80/TCP,8090/UDP,8000/TCP,7777/SCTP', '<unknown>'],
    ],
    [
      'Test load balancer service with multiple ports.',
      svcOf('service3', { clusterIPs: ['1.4.5.6'], type: 'LoadBalancer', ports: lbPorts }, { loadBalancer: { ingress: [{ ip: '2.3.4.5' }] } }),
      false,
      ['service3', 'LoadBalancer', '1.4.5.6', '2.3.4.5', '80/TCP,8090/UDP,8000/TCP', '<unknown>'],
    ],
    [
      // kubectl's test prints this one without Wide and expects "2.3.4.5,3.4.5..." (16
      // characters). `kubectl get` never sees that: the API server builds every table with
      // printers.GenerateOptions{Wide: true} (pkg/printers/storage/storage.go ConvertToTable),
      // so the served cell is the one the next, Wide case expects.
      "Long external IP's list gets elided (client-side only; the server's table is wide)",
      svcOf('service4', { clusterIPs: ['1.5.6.7'], type: 'LoadBalancer', ports: lbPorts }, threeIngress),
      false,
      ['service4', 'LoadBalancer', '1.5.6.7', '2.3.4.5,3.4.5.6,5.6.7.8', '80/TCP,8090/UDP,8000/TCP', '<unknown>'],
    ],
    [
      'Generate options: Wide, includes selectors.',
      svcOf('service4', { clusterIPs: ['1.5.6.7'], type: 'LoadBalancer', ports: lbPorts, selector: { foo: 'bar' } }, threeIngress),
      true,
      ['service4', 'LoadBalancer', '1.5.6.7', '2.3.4.5,3.4.5.6,5.6.7.8', '80/TCP,8090/UDP,8000/TCP', '<unknown>', 'foo=bar'],
    ],
  ];
  for (const [name, svc, wide, expected] of cases) {
    it(name, () => {
      // Columns: Name, Type, Cluster-IP, External-IP, Port(s), Age (, Selector with Wide)
      assert.deepEqual(printService(svc, NOW).slice(0, wide ? 7 : 6), expected);
    });
  }
});

// Not in kubectl's tests: printers.go's getServiceExternalIP and loadBalancerStatusStringer,
// and the API server's defaults for objects read from files.
describe('printService: printers.go branches and svctrace defaults', () => {
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
