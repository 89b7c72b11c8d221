// The proxy model's CLI wiring (src/cli/proxy-model.ts): commander's merged options to the
// proxy flags buildProxyConfig reads.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { proxyFlagValues } from '../../src/cli/proxy-model.js';

describe("commander's options to proxy flags", () => {
  it('keeps given values and drops defaults', () => {
    assert.deepEqual(proxyFlagValues({ node: 'n', nodeIp: [], localhostNodeports: true, proxyVersion: '1.20', format: 'save' }), { node: 'n', nodeIp: [], proxyVersion: '1.20' });
    assert.deepEqual(proxyFlagValues({ localhostNodeports: false, masqueradeAll: true }), { localhostNodeports: false, masqueradeAll: true });
  });
});
