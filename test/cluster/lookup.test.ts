// Objects named on the command line, and pod addresses held or free. Address plan: pods
// 10.0.0.0/8 (IPv6 fd00::/64), ClusterIPs 172.30.0.0/16, nodes node-a/node-b.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NotFoundError } from '../../src/errors.js';
import { findPod, findService, nodePodSubnets, podAddresses, podWithAddress, unusedAddress, usedAddresses } from '../../src/cluster/lookup.js';
import { pod, service, snapshot } from './builders.js';

describe('findService and findPod', () => {
  const s = snapshot({ services: [service('web')], pods: [pod('web-1')] });

  it('find by namespace and name', () => {
    assert.equal(findService(s, 'shop', 'web').metadata?.name, 'web');
    assert.equal(findPod(s, 'shop', 'web-1').metadata?.name, 'web-1');
  });

  it("throw kubectl's NotFound for another namespace or name", () => {
    assert.throws(() => findService(s, 'other', 'web'), (e: Error) => e instanceof NotFoundError && e.message === 'Error from server (NotFound): services "web" not found');
    assert.throws(() => findPod(s, 'shop', 'nope'), (e: Error) => e instanceof NotFoundError && e.message === 'Error from server (NotFound): pods "nope" not found');
  });
});

describe('pod addresses', () => {
  it('are read as ParseIPSloppy reads them and returned canonical', () => {
    assert.deepEqual(podAddresses(pod('web-1', { ip: ['10.0.0.010', 'FD00::0:5'] })), [
      { address: '10.0.0.10', family: 4 },
      { address: 'fd00::5', family: 6 },
    ]);
    const s = snapshot({ pods: [pod('web-1', { ip: '10.0.0.010' })] });
    assert.equal(podWithAddress(s, '10.0.0.10')?.metadata?.name, 'web-1');
    assert.deepEqual([...usedAddresses(s)], ['10.0.0.10']);
  });

  it("the node's pods' /24 or /64, around the lowest address", () => {
    const s = snapshot({ pods: [pod('b', { ip: '10.0.7.9' }), pod('a', { ip: ['10.0.3.200', 'fd00::1:5'] }), pod('elsewhere', { ip: '10.0.1.1', node: 'node-b' })] });
    assert.deepEqual(nodePodSubnets(s, 'node-a', 4), ['10.0.3.0/24']);
    assert.deepEqual(nodePodSubnets(s, 'node-a', 6), ['fd00::/64']);
    assert.deepEqual(nodePodSubnets(s, 'node-c', 4), []);
  });
});

describe('unusedAddress', () => {
  it("starts at the network's third address, skips used ones and CIDRs of the other family", () => {
    assert.deepEqual(unusedAddress(['fd00::/64', '10.0.3.0/24'], 4, new Set(['10.0.3.2', '10.0.3.3'])), { address: '10.0.3.4', cidr: '10.0.3.0/24' });
    assert.deepEqual(unusedAddress(['fd00::/64'], 6, new Set()), { address: 'fd00::2', cidr: 'fd00::/64' });
  });

  it('goes on to the next CIDR when one is full, and gives up when all are', () => {
    assert.deepEqual(unusedAddress(['10.0.3.0/30', '10.0.4.0/24'], 4, new Set(['10.0.3.2'])), { address: '10.0.4.2', cidr: '10.0.4.0/24' });
    assert.equal(unusedAddress(['10.0.3.0/31', 'not-a-cidr'], 4, new Set()), undefined);
  });
});
