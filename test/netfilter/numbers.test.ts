// The one exact fixed-point formatter (formatProbability and kube-proxy's formatFixedGo call it):
// printf("%.Nf") of an exact binary value, rounded half to even. Expected texts are what glibc's
// printf printed for these doubles (gcc, glibc 2.x: `printf("%.2f", 0.125)` and so on).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDouble, formatFixed } from '../../src/netfilter/numbers.js';

describe('formatDouble: printf("%.Nf", x)', () => {
  const printed: Array<[x: number, decimals: number, text: string]> = [
    [0.125, 2, '0.12'], [0.375, 2, '0.38'], [2.5, 0, '2'], [3.5, 0, '4'], [-0.001, 2, '-0.00'], [-0, 2, '-0.00'],
    [1e21, 3, '1000000000000000000000.000'], [0.1, 20, '0.10000000000000000555'], [5e-324, 5, '0.00000'],
    [0.35, 1, '0.3'], [0.25, 1, '0.2'], [2 ** -12, 11, '0.00024414062'], [1 / 3, 30, '0.333333333333333314829616256247'],
    [715827883 / 2 ** 31, 11, '0.33333333349'], [2 ** -31, 11, '0.00000000047'],
  ];
  for (const [x, decimals, text] of printed) {
    it(`%.${decimals}f of ${x} is ${text}`, () => assert.equal(formatDouble(x, decimals), text));
  }
});

describe('formatFixed: any exact rational, the same rounding', () => {
  it('rounds ties to even and everything else to nearest', () => {
    assert.equal(formatFixed(1n, 3n, 5), '0.33333');
    assert.equal(formatFixed(2n, 3n, 5), '0.66667');
    assert.equal(formatFixed(5n, 2n, 0), '2');
    assert.equal(formatFixed(7n, 2n, 0), '4');
    assert.equal(formatFixed(1n, 8n, 2), '0.12');
    assert.equal(formatFixed(715827883n, 2n ** 31n, 11), '0.33333333349');
    assert.equal(formatFixed(-1n, 8n, 2), '-0.12');
  });
});
