import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatEndpoints, printEndpoints } from '../../src/output/endpoints-rows.js';
import { formatDiscoveryEndpoints, printEndpointSlice } from '../../src/output/endpointslice-rows.js';
import { formatDiscoveryPorts } from '../../src/output/ports.js';
import type { EndpointSlice, Endpoints } from '../../src/cluster/types.js';
import { NOW, ago, endpointSlice, endpoints, fromNow, sliceEndpoint, wire } from '../helpers/objects.js';

describe('printEndpoints / formatEndpoints', () => {
  it('shows <none> without subsets', () => {
    // Columns: Name, Endpoints, Age
    assert.deepEqual(printEndpoints(endpoints({ name: 'postgresql', created: ago(53 * 60) }), NOW), ['postgresql', '<none>', '53m']);
  });

  it('lists ip:port for each port and ready address, never the not-ready ones', () => {
    const ep = endpoints({
      subsets: [{ addresses: [{ ip: '10.254.5.61' }], notReadyAddresses: [{ ip: '10.254.5.66' }], ports: [{ name: 'web', port: 8080, protocol: 'TCP' }] }],
    });
    assert.equal(formatEndpoints(ep), '10.254.5.61:8080');
  });

  it('shows three, then "+ N more..." counting every address and port', () => {
    const ep = endpoints({
      subsets: [
        {
          addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }],
          ports: [
            { name: 'a', port: 80 },
            { name: 'b', port: 443 },
          ],
        },
        { addresses: [{ ip: '10.0.0.3' }], ports: [{ port: 8080 }] },
      ],
    });
    assert.equal(formatEndpoints(ep), '10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 2 more...');
  });

  it('lists bare IPs for a subset without ports (headless) and brackets IPv6 addresses', () => {
    assert.equal(formatEndpoints(endpoints({ subsets: [{ addresses: [{ ip: '10.0.0.1' }, { ip: 'fd00::1' }] }] })), '10.0.0.1,fd00::1');
    assert.equal(formatEndpoints(endpoints({ subsets: [{ addresses: [{ ip: 'fd00::1' }], ports: [{ port: 80 }] }] })), '[fd00::1]:80');
  });

  it('keeps only the named ports when asked (describe)', () => {
    const ep = endpoints({ subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ name: 'web', port: 80 }, { name: 'metrics', port: 9090 }] }] });
    assert.equal(formatEndpoints(ep, new Set(['metrics'])), '10.0.0.1:9090');
  });
});

describe('printEndpointSlice', () => {
  it('shows <unset> for a slice without ports or endpoints (not <none>)', () => {
    // Columns: Name, AddressType, Ports, Endpoints, Age
    assert.deepEqual(printEndpointSlice(endpointSlice({ name: 'empty-abcde', created: ago(5) }), NOW), ['empty-abcde', 'IPv4', '<unset>', '<unset>', '5s']);
  });

  it('lists every address, ready or not, three then "+ N more..."', () => {
    const slice = endpointSlice({
      endpoints: [sliceEndpoint('10.128.2.15'), sliceEndpoint('10.131.0.7', { ready: false }), sliceEndpoint('10.129.0.4'), sliceEndpoint('10.130.0.9')],
    });
    assert.equal(formatDiscoveryEndpoints(slice), '10.128.2.15,10.131.0.7,10.129.0.4 + 1 more...');
  });

  it('prints port numbers, "*" for an unset port and the name when only the name is set', () => {
    assert.equal(formatDiscoveryPorts([{ port: 8080 }, {}, { name: 'http' }]), '8080,*,http');
    assert.equal(formatDiscoveryPorts([{ port: 1 }, { port: 2 }, { port: 3 }, { port: 4 }, { port: 5 }]), '1,2,3 + 2 more...');
  });
});

// Ports of kubernetes/kubernetes pkg/printers/internalversion/printers_test.go TestPrintEndpoint
// (4 cases), TestPrintEndpointSlice (3), and their entries in TestTableRowDeepCopyShouldNotPanic
// (which only checks that a row comes back; the cells asserted here are read off printers.go).
// Wire form: `CreationTimestamp: time.Now().Add(1.9e9)` is fromNow(1.9), `Add(-3e11)` fromNow(-300).
describe('printEndpoints: printers_test.go TestPrintEndpoint', () => {
  const cases: [string, object, string[]][] = [
    ["Basic endpoint with no IP's", { metadata: { name: 'endpoint1', creationTimestamp: fromNow(1.9) } }, ['endpoint1', '<none>', '0s']],
    [
      'Endpoint with no ports',
      { metadata: { name: 'endpoint3', creationTimestamp: fromNow(-300) }, subsets: [{ addresses: [{ ip: '1.2.3.4' }, { ip: '5.6.7.8' }] }] },
      ['endpoint3', '1.2.3.4,5.6.7.8', '5m'],
    ],
    [
      "Basic endpoint with two IP's and one port",
      { metadata: { name: 'endpoint2', creationTimestamp: fromNow(1.9) }, subsets: [{ addresses: [{ ip: '1.2.3.4' }, { ip: '5.6.7.8' }], ports: [{ port: 8001, protocol: 'tcp' }] }] },
      ['endpoint2', '1.2.3.4:8001,5.6.7.8:8001', '0s'],
    ],
    [
      'Basic endpoint with greater than three IP\'s triggering "more" string',
      {
        metadata: { name: 'endpoint2', creationTimestamp: fromNow(1.9) },
        subsets: [{ addresses: [{ ip: '1.2.3.4' }, { ip: '5.6.7.8' }, { ip: '9.8.7.6' }, { ip: '6.6.6.6' }], ports: [{ port: 8001, protocol: 'tcp' }] }],
      },
      ['endpoint2', '1.2.3.4:8001,5.6.7.8:8001,9.8.7.6:8001 + 1 more...', '0s'],
    ],
  ];
  for (const [name, obj, expected] of cases) {
    it(name, () => {
      // Columns: Name, Endpoints, Age
      assert.deepEqual(printEndpoints(wire<Endpoints>(obj), NOW), expected);
    });
  }
  it('TestTableRowDeepCopyShouldNotPanic: an empty Endpoints still gives a row', () => {
    assert.deepEqual(printEndpoints(wire<Endpoints>({}), NOW), ['', '<none>', '<unknown>']);
  });
});

describe('printEndpointSlice: printers_test.go TestPrintEndpointSlice', () => {
  const port = (name: string, p: number) => ({ name, port: p, protocol: 'TCP' });
  const cases: [string, object, string[]][] = [
    [
      'one port, one endpoint with two addresses',
      {
        metadata: { name: 'abcslice.123', creationTimestamp: fromNow(1.9) },
        addressType: 'IPv4',
        ports: [port('http', 80)],
        endpoints: [{ addresses: ['10.1.2.3', '2001:db8::1234:5678'], conditions: {} }],
      },
      ['abcslice.123', 'IPv4', '80', '10.1.2.3,2001:db8::1234:5678', '0s'],
    ],
    [
      'two ports, four addresses',
      {
        metadata: { name: 'longerslicename.123', creationTimestamp: fromNow(-300) },
        addressType: 'IPv6',
        ports: [port('http', 80), port('https', 443)],
        endpoints: [
          { addresses: ['10.1.2.3', '2001:db8::1234:5678'], conditions: {} },
          { addresses: ['10.2.3.4', '2001:db8::2345:6789'], conditions: {} },
        ],
      },
      ['longerslicename.123', 'IPv6', '80,443', '10.1.2.3,2001:db8::1234:5678,10.2.3.4 + 1 more...', '5m'],
    ],
    [
      'four ports, four addresses',
      {
        metadata: { name: 'multiportslice.123', creationTimestamp: fromNow(-300) },
        addressType: 'IPv4',
        ports: [port('http', 80), port('https', 443), port('extra1', 3000), port('extra2', 3001)],
        endpoints: [
          { addresses: ['10.1.2.3', '2001:db8::1234:5678'], conditions: {} },
          { addresses: ['10.2.3.4', '2001:db8::2345:6789'], conditions: {} },
        ],
      },
      ['multiportslice.123', 'IPv4', '80,443,3000 + 1 more...', '10.1.2.3,2001:db8::1234:5678,10.2.3.4 + 1 more...', '5m'],
    ],
  ];
  for (const [name, obj, expected] of cases) {
    it(name, () => {
      // Columns: Name, AddressType, Ports, Endpoints, Age
      assert.deepEqual(printEndpointSlice(wire<EndpointSlice>(obj), NOW), expected);
    });
  }
  it('TestTableRowDeepCopyShouldNotPanic: an empty EndpointSlice still gives a row', () => {
    assert.deepEqual(printEndpointSlice(wire<EndpointSlice>({}), NOW), ['', '', '<unset>', '<unset>', '<unknown>']);
  });
});
