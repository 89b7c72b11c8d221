import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatEndpoints, printEndpoints } from '../../src/output/endpoints-rows.js';
import { formatDiscoveryEndpoints, printEndpointSlice } from '../../src/output/endpointslice-rows.js';
import { formatDiscoveryPorts } from '../../src/output/ports.js';
import { NOW, ago, endpointSlice, endpoints, sliceEndpoint } from '../helpers/objects.js';

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
