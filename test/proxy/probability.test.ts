// computeProbability: Go's fmt "%0.5f" (<= 1.16) / "%0.10f" (>= 1.17) of 1/k, which rounds the
// exact binary value half to even. Expected values: research note §7.3 (checked against Go's fmt
// and python's %-formatting) and the walkthrough (0.33333 / 0.50000 written by kube-proxy 1.16).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createProbabilityFormatter, formatFixedGo } from '../../src/proxy/probability.js';

const TABLE: Array<[k: number, modern: string, old: string]> = [
  [2, '0.5000000000', '0.50000'],
  [3, '0.3333333333', '0.33333'],
  [4, '0.2500000000', '0.25000'],
  [5, '0.2000000000', '0.20000'],
  [6, '0.1666666667', '0.16667'],
  [7, '0.1428571429', '0.14286'],
  [9, '0.1111111111', '0.11111'],
  [11, '0.0909090909', '0.09091'],
  [12, '0.0833333333', '0.08333'],
  [13, '0.0769230769', '0.07692'],
  [64, '0.0156250000', '0.01562'],
  [100, '0.0100000000', '0.01000'],
  [320, '0.0031250000', '0.00313'],
  [1000, '0.0010000000', '0.00100'],
  [2048, '0.0004882812', '0.00049'],
  [10000, '0.0001000000', '0.00010'],
  [100001, '0.0000099999', '0.00001'],
];

describe('computeProbability (Go fmt rounding)', () => {
  for (const [k, modern, old] of TABLE) {
    it(`1/${k} is ${modern} with %0.10f and ${old} with %0.5f`, () => {
      assert.equal(createProbabilityFormatter(10)(k), modern);
      assert.equal(createProbabilityFormatter(5)(k), old);
    });
  }

  it('rounds the exact tie 1/64 = 0.015625 to even under %0.5f (toFixed would give 0.01563)', () => {
    assert.equal(formatFixedGo(1 / 64, 5), '0.01562');
    assert.equal((1 / 64).toFixed(5), '0.01563');
  });

  it('rounds the exact tie 1/2048 = 0.00048828125 to even under %0.10f (toFixed would give 0.0004882813)', () => {
    assert.equal(formatFixedGo(1 / 2048, 10), '0.0004882812');
    assert.equal((1 / 2048).toFixed(10), '0.0004882813');
  });

  it('rounds other ties away from odd digits: 0.125 -> 0.12, 0.375 -> 0.38, 2.5 -> 2', () => {
    assert.equal(formatFixedGo(0.125, 2), '0.12');
    assert.equal(formatFixedGo(0.375, 2), '0.38');
    assert.equal(formatFixedGo(2.5, 0), '2');
    assert.equal(formatFixedGo(1, 5), '1.00000');
  });

  it('agrees with toFixed wherever 1/k is not an exact tie (k up to 5000)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.constantFrom(5, 10), (k, d) => {
        if ((k === 64 && d === 5) || (k === 2048 && d === 10)) return;
        assert.equal(formatFixedGo(1 / k, d), (1 / k).toFixed(d));
      }),
    );
  });
});
