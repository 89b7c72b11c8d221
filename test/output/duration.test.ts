import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { humanDuration, translateTimestampSince } from '../../src/output/duration.js';
import { NOW, fromNow } from '../helpers/objects.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const Y = 365 * D;

describe('humanDuration (apimachinery duration.HumanDuration)', () => {
  // From apimachinery pkg/util/duration/duration_test.go TestHumanDuration (10 cases).
  const examples: [number, string][] = [
    [S, '1s'],
    [70 * S, '70s'],
    [190 * S, '3m10s'],
    [70 * M, '70m'],
    [47 * H, '47h'],
    [49 * H, '2d1h'],
    [(8 * 24 + 2) * H, '8d'],
    [367 * D, '367d'],
    [(365 * 2 * 24 + 25) * H, '2y1d'],
    [(365 * 8 * 24 + 2) * H, '8y'],
  ];
  for (const [ms, want] of examples) it(`prints ${ms} ms as ${want}`, () => assert.equal(humanDuration(ms), want));

  // From duration_test.go TestHumanDurationBoundaries (37 cases; nanoseconds become milliseconds:
  // `-2*time.Second + 1` is -2 s + 1 ms, `x - time.Millisecond` stays x - 1 ms).
  const boundaries: [number, string][] = [
    [-2 * S, '<invalid>'],
    [-2 * S + 1, '0s'],
    [0, '0s'],
    [S - 1, '0s'],
    [2 * M - 1, '119s'],
    [2 * M, '2m'],
    [2 * M + S, '2m1s'],
    [10 * M - 1, '9m59s'],
    [10 * M, '10m'],
    [10 * M + S, '10m'],
    [3 * H - 1, '179m'],
    [3 * H, '3h'],
    [3 * H + M, '3h1m'],
    [8 * H - 1, '7h59m'],
    [8 * H, '8h'],
    [8 * H + 59 * M, '8h'],
    [2 * D - 1, '47h'],
    [2 * D, '2d'],
    [2 * D + H, '2d1h'],
    [8 * D - 1, '7d23h'],
    [8 * D, '8d'],
    [8 * D + 23 * H, '8d'],
    [2 * Y - 1, '729d'],
    [2 * Y, '2y'],
    [2 * Y + 23 * H, '2y'],
    [2 * Y + 23 * H + 59 * M, '2y'],
    [2 * Y + D - 1, '2y'],
    [2 * Y + D, '2y1d'],
    [3 * Y, '3y'],
    [4 * Y, '4y'],
    [5 * Y, '5y'],
    [6 * Y, '6y'],
    [7 * Y, '7y'],
    [8 * Y - 1, '7y364d'],
    [8 * Y, '8y'],
    [8 * Y + 364 * D, '8y'],
    [9 * Y, '9y'],
  ];
  for (const [ms, want] of boundaries) it(`prints the boundary ${ms} ms as ${want}`, () => assert.equal(humanDuration(ms), want));

  it("reproduces the walkthrough's ages", () => {
    assert.equal(humanDuration(156 * S), '2m36s');
    assert.equal(humanDuration(109 * S), '109s');
    assert.equal(humanDuration(7 * H + 36 * M + 30 * S), '7h36m');
    assert.equal(humanDuration(23 * H + 17 * M), '23h');
  });
});

describe('translateTimestampSince', () => {
  const now = new Date('2020-09-05T22:44:52Z');
  it('is the age of a timestamp at now', () => assert.equal(translateTimestampSince('2020-09-05T22:42:16Z', now), '2m36s'));
  it('is <unknown> without a timestamp, or with one that cannot be read', () => {
    assert.equal(translateTimestampSince(undefined, now), '<unknown>');
    assert.equal(translateTimestampSince(null, now), '<unknown>');
    assert.equal(translateTimestampSince('yesterday', now), '<unknown>');
  });
  it('is <invalid> for a timestamp more than a second in the future', () => {
    assert.equal(translateTimestampSince('2020-09-05T22:44:55Z', now), '<invalid>');
  });
});

describe('translateTimestampSince: printers_test.go TestTranslateTimestampSince', () => {
  // The timestamps in wire form (whole seconds): `time.Now().Add(2.1e9)` is fromNow(2.1), which
  // the API writes as now + 2 s; `AddDate(0, 0, -2)` is two days back (UTC: no DST).
  const cases: [string, string | undefined, string][] = [
    ['a while from now', fromNow(2.1), '<invalid>'],
    ['almost now', fromNow(1.9), '0s'],
    ['now', fromNow(0), '0s'],
    ['unknown', undefined, '<unknown>'],
    ['30 seconds ago', fromNow(-30), '30s'],
    ['5 minutes ago', fromNow(-300), '5m'],
    ['an hour ago', fromNow(-6000), '100m'],
    ['2 days ago', fromNow(-2 * 86400), '2d'],
    ['months ago', fromNow(-90 * 86400), '90d'],
    ['10 years ago', fromNow(-10 * 365 * 86400), '10y'],
  ];
  for (const [name, timestamp, want] of cases) it(name, () => assert.equal(translateTimestampSince(timestamp, NOW), want));
});
