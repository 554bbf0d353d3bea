/**
 * Server-side downsampling of a time series for charts: min/max per bucket (M4 without the bucket's
 * first and last). The series is cut into equal-count buckets; each bucket keeps the samples holding its
 * smallest and its largest value, in their original order. So the result
 *  - never has more than `maxPoints` samples, and is the input itself when that is already short enough;
 *  - is a subsequence of the input (samples are chosen, never averaged or invented);
 *  - keeps the series' extremes, and every excursion past any threshold: a bucket holding a sample above
 *    (below) a limit keeps its largest (smallest) sample, which is above (below) it too — so an
 *    exceedance (超标) never disappears from a downsampled chart.
 * A bucket without any numeric value (a gap) keeps its first sample, so gaps stay visible.
 */
export function downsampleMinMax<T>(
  samples: readonly T[],
  maxPoints: number,
  value: (sample: T) => number | null | undefined,
): T[] {
  const limit = Math.max(2, Math.floor(maxPoints));
  if (samples.length <= limit) return [...samples];
  const buckets = Math.floor(limit / 2);
  const size = samples.length / buckets;
  const out: T[] = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor(b * size);
    const to = b === buckets - 1 ? samples.length : Math.floor((b + 1) * size);
    let low = -1;
    let high = -1;
    let lowValue = Number.POSITIVE_INFINITY;
    let highValue = Number.NEGATIVE_INFINITY;
    for (let i = from; i < to; i++) {
      const v = value(samples[i] as T);
      if (v === null || v === undefined || Number.isNaN(v)) continue;
      if (v < lowValue) {
        lowValue = v;
        low = i;
      }
      if (v > highValue) {
        highValue = v;
        high = i;
      }
    }
    if (low < 0) {
      out.push(samples[from] as T);
      continue;
    }
    const first = Math.min(low, high);
    const second = Math.max(low, high);
    out.push(samples[first] as T);
    if (second !== first) out.push(samples[second] as T);
  }
  return out;
}
