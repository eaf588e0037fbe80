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

/**
 * A distribution-free confidence interval for the median (binomial order statistics): the sample ranks k and
 * n + 1 − k such that the chance of the true median falling outside is at most 1 − confidence. Needs n ≥ 6
 * for 95 %; with 15 samples it is the 4th to the 12th smallest (96.5 % coverage).
 */
export function medianConfidenceInterval(samples: readonly number[], confidence = 0.95): [number, number] {
  const s = sorted(samples);
  const n = s.length;
  const tail = (1 - confidence) / 2;
  // P(X <= j) for X ~ Binomial(n, 1/2), accumulated until it exceeds the tail.
  let cumulative = 0;
  let coefficient = 1;
  let k = 0;
  for (let j = 0; j < n; j++) {
    cumulative += coefficient / 2 ** n;
    if (cumulative > tail) break;
    k = j + 1;
    coefficient = (coefficient * (n - j)) / (j + 1);
  }
  if (k === 0) throw new Error(`${n} samples are too few for a ${confidence * 100} % interval of the median`);
  return [s[k - 1]!, s[n - k]!];
}

/** Rounds for reporting: figures below 10 keep two decimals, larger ones one. */
export function round(value: number): number {
  const digits = Math.abs(value) < 10 ? 100 : 10;
  return Math.round(value * digits) / digits;
}
