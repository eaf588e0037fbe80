import { describe, expect, test } from 'vitest';
import { max, median, medianConfidenceInterval, min, percentile, round } from '../bench/support/stats';

// The benchmark's verdicts rest on these: check them against values worked out by hand.
describe('benchmark statistics', () => {
  const fifteen = [15, 3, 9, 1, 12, 7, 5, 14, 2, 11, 6, 13, 4, 10, 8];

  test('median of odd and even counts, without mutating the input', () => {
    const copy = [...fifteen];
    expect(median(fifteen)).toBe(8);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(fifteen).toEqual(copy);
  });

  test('nearest-rank percentiles', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(hundred, 95)).toBe(95);
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile(fifteen, 95)).toBe(15);
  });

  test('min and max', () => {
    expect([min(fifteen), max(fifteen)]).toEqual([1, 15]);
  });

  test('the 95 % interval of a median of 15 pairs is the 4th to the 12th smallest', () => {
    // P(X ≤ 3) = 576/32768 ≈ 0.018 ≤ 0.025 < P(X ≤ 4) = 1941/32768 for X ~ Binomial(15, ½).
    expect(medianConfidenceInterval(fifteen)).toEqual([4, 12]);
  });

  test('too few samples for an interval is an error, not a made-up figure', () => {
    expect(() => medianConfidenceInterval([1, 2, 3, 4, 5])).toThrow(/too few/);
    expect(() => median([])).toThrow(/no samples/);
  });

  test('rounding for the report', () => {
    expect(round(1.23456)).toBe(1.23);
    expect(round(123.456)).toBe(123.5);
    expect(round(-4.567)).toBe(-4.57);
  });
});
