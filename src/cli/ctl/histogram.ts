import type { JsHistogram } from 'hdr-histogram-js';
import { mergeEncoded, type StageLatency } from '../../main/metrics/latency.js';
import { micros, table } from './format.js';

/**
 * `ospreyctl latency`: a percentile table per stage and, with --histogram, a bar chart of each stage's
 * distribution drawn from the encoded HDR histogram the engine sent (decoded here, so the chart shows
 * the real distribution, not a curve through a few percentiles).
 */

export function latencyTable(stages: readonly StageLatency[]): string {
  const us = (v: unknown) => (typeof v === 'number' ? micros(v) : '-');
  return table(
    stages as unknown as Record<string, unknown>[],
    [
      'stage',
      'count',
      { key: 'minUs', title: 'min', format: us },
      { key: 'p50Us', title: 'p50', format: us },
      { key: 'p90Us', title: 'p90', format: us },
      { key: 'p99Us', title: 'p99', format: us },
      { key: 'p999Us', title: 'p99.9', format: us },
      { key: 'maxUs', title: 'max', format: us },
    ],
    '(no stage has recorded anything yet)',
  );
}

export interface Bin {
  readonly fromUs: number;
  readonly toUs: number;
  readonly count: number;
}

/**
 * Counts per bin, the bins growing geometrically from the smallest to the largest value (latency
 * spreads over orders of magnitude; linear bins would put everything in the first one).
 */
export function latencyBins(encoded: string, binCount = 16): Bin[] {
  const histogram = mergeEncoded([encoded]) as unknown as JsHistogram;
  if (histogram.totalCount === 0) return [];
  const min = Math.max(1, histogram.minNonZeroValue);
  const max = Math.max(min + 1, histogram.maxValue);
  const ratio = (max / min) ** (1 / binCount);
  const bins = Array.from({ length: binCount }, (_, i) => ({ fromUs: min * ratio ** i, toUs: min * ratio ** (i + 1), count: 0 }));
  for (let index = 0; index < histogram.countsArrayLength; index++) {
    const count = histogram.getCountAtIndex(index);
    if (count === 0) continue;
    const value = histogram.valueFromIndex(index);
    const bin = Math.min(binCount - 1, Math.max(0, Math.floor(Math.log(Math.max(value, min) / min) / Math.log(ratio))));
    bins[bin]!.count += count;
  }
  return bins;
}

/** One line per bin: range, a bar scaled to the fullest bin, the count. */
export function drawHistogram(stage: string, bins: readonly Bin[], width = 40): string {
  if (bins.length === 0) return `${stage}: no values\n`;
  const most = Math.max(...bins.map((b) => b.count));
  const ranges = bins.map((b) => `${micros(b.fromUs)} - ${micros(b.toUs)}`);
  const pad = Math.max(...ranges.map((r) => r.length));
  const lines = bins.map((b, i) => {
    const bar = '█'.repeat(b.count === 0 ? 0 : Math.max(1, Math.round((b.count / most) * width)));
    return `  ${ranges[i]!.padStart(pad)} |${bar.padEnd(width)} ${b.count}`;
  });
  return `${stage}\n${lines.join('\n')}\n`;
}
