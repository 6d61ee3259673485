// Percentiles and rounding for the report.

/** The q-quantile (0…1) of latencies, nearest-rank on a sorted copy. */
export function percentile(values: readonly number[], q: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

export interface Percentiles { p50?: number; p95?: number; p99?: number }

export function percentiles(values: readonly number[]): Percentiles {
  return { p50: round(percentile(values, 0.5)), p95: round(percentile(values, 0.95)), p99: round(percentile(values, 0.99)) };
}

/** Three significant digits are all a bench on a shared machine can claim. */
export function round(value: number | undefined): number | undefined {
  if (value === undefined || !Number.isFinite(value)) return undefined;
  if (value === 0) return 0;
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(value))));
  return Number(value.toFixed(Math.min(digits, 3)));
}

export function ms(value: number | undefined): string {
  return value === undefined ? '–' : `${round(value)} ms`;
}
