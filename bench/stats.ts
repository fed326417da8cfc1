// Small pure helpers for the bench report: medians with their spread, percentiles, and the
// write-to-count lag of the live-tail case.

export function median(values: readonly number[]): number {
  return percentile(values, 0.5);
}

/** The value at rank `q` (0..1) of the sorted values; NaN when there are none. */
export function percentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? NaN;
}

/** `median (min–max)`, scaled and with a fixed number of fraction digits. */
export function spread(values: readonly number[], digits: number, scale = 1): string {
  const f = (v: number): string =>
    (v / scale).toLocaleString('en-US', {
      maximumFractionDigits: digits,
      minimumFractionDigits: digits,
    });
  return `${f(median(values))} (${f(Math.min(...values))}–${f(Math.max(...values))})`;
}

/**
 * Lag of each written batch: from its write ([ms, lines written so far]) to the first sample of
 * the exporter's count ([ms, lines counted]) that includes it. Batches never counted are left out
 * (the caller compares totals for loss).
 */
export function writeToCountLags(
  writes: ReadonlyArray<readonly [number, number]>,
  counts: ReadonlyArray<readonly [number, number]>,
): number[] {
  const lags: number[] = [];
  let j = 0;
  for (const [at, written] of writes) {
    while (j < counts.length && (counts[j]?.[1] ?? 0) < written) j++;
    const seen = counts[j];
    if (seen === undefined) break;
    lags.push(seen[0] - at);
  }
  return lags;
}
