/** Summary statistics for benchmark samples. Inputs are never mutated. */

function sorted(samples: readonly number[]): number[] {
  if (samples.length === 0) throw new Error('no samples');
  return [...samples].sort((a, b) => a - b);
}

export function median(samples: readonly number[]): number {
  const s = sorted(samples);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Nearest-rank percentile: the smallest sample with at least p% of the samples at or below it. */
export function percentile(samples: readonly number[], p: number): number {
  const s = sorted(samples);
  const rank = Math.max(1, Math.ceil((p / 100) * s.length));
  return s[rank - 1]!;
}

export function min(samples: readonly number[]): number {
  return sorted(samples)[0]!;
}

export function max(samples: readonly number[]): number {
  const s = sorted(samples);
  return s[s.length - 1]!;
}

/** Rounds for reporting: figures below 10 keep two decimals, larger ones one. */
export function round(value: number): number {
  const digits = Math.abs(value) < 10 ? 100 : 10;
  return Math.round(value * digits) / digits;
}
