/** One line of bench output, as CONTRACTS.md fixes it: {"suite","case","metric","value","unit"} plus context. */
export interface BenchLine {
  suite: string;
  case: string;
  metric: string;
  value: number;
  unit: string;
  [context: string]: string | number | boolean;
}

export interface SuiteOptions {
  /** Finish in well under 60 s. */
  quick: boolean;
  /** Progress goes here (stderr), never to stdout, which carries results only. */
  progress: (message: string) => void;
}

export type Suite = (options: SuiteOptions) => Promise<BenchLine[]>;

/** Percentile of an ascending-sorted array of samples (nearest rank). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
