/** min / median / max of samples, and how the report prints them. */
export interface Summary {
  min: number;
  median: number;
  max: number;
  n: number;
}

export function summarize(samples: number[]): Summary | undefined {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { min: sorted[0]!, median, max: sorted[sorted.length - 1]!, n: sorted.length };
}

export function fmt(value: number, digits: number): string {
  return value.toFixed(digits);
}

/** "min / median / max", or the single value when there is one sample. */
export function cell(summary: Summary | undefined, digits: number): string {
  if (!summary) return '–';
  if (summary.n === 1) return fmt(summary.median, digits);
  return `${fmt(summary.min, digits)} / **${fmt(summary.median, digits)}** / ${fmt(summary.max, digits)}`;
}
