/** Turns the samples into the BENCHMARKS.md tables and the target verdicts. */
import { FIRST_RESPAWN_TARGET_MS, OURS, READINESS_FLIP_TARGET_MS } from './lifecycle.js';
import { cell, fmt, summarize } from './stats.js';
import { VARIANTS, type VariantId } from './variants.js';

export const METRICS = [
  'boot',
  'bootCpu',
  'rssBoot',
  'pssBoot',
  'rssLoad',
  'pssLoad',
  'kaRps',
  'kaP50',
  'kaP99',
  'closeRps',
  'closeP50',
  'closeP99',
  'cpuUs',
  'drainNone',
  'drainIdle',
  'drainInflight',
  'drainAfterResponse',
  'flip',
  'respawn',
  'workerBoot',
] as const;
export type Metric = (typeof METRICS)[number];

export type Samples = Record<VariantId, Record<Metric, number[]> & { connection: string[] }>;

export function emptySamples(): Samples {
  return Object.fromEntries(
    VARIANTS.map((v) => [v.id, { ...Object.fromEntries(METRICS.map((m) => [m, [] as number[]])), connection: [] }]),
  ) as unknown as Samples;
}

interface Target {
  label: string;
  metric: Metric;
  of: VariantId;
  /** Ratio of medians against this variant; absent for an absolute bound. */
  over?: VariantId;
  atMost?: number;
  atLeast?: number;
}

const TARGETS: Target[] = [
  { label: 'single / bare: tree RSS after boot', metric: 'rssBoot', of: 'single', over: 'bare', atMost: 1.05 },
  { label: 'single / bare: boot → 200', metric: 'boot', of: 'single', over: 'bare', atMost: 1.1 },
  { label: '(same, as CPU time to the first 200)', metric: 'bootCpu', of: 'single', over: 'bare', atMost: 1.1 },
  { label: 'single / bare: keep-alive req/s', metric: 'kaRps', of: 'single', over: 'bare', atLeast: 0.97 },
  { label: 'single / bare: close req/s', metric: 'closeRps', of: 'single', over: 'bare', atLeast: 0.97 },
  { label: 'single / status quo: close req/s', metric: 'closeRps', of: 'single', over: 'cluster1', atLeast: 1.4 },
  { label: 'single / status quo: tree RSS after boot', metric: 'rssBoot', of: 'single', over: 'cluster1', atMost: 0.6 },
  { label: 'single / status quo: boot → 200', metric: 'boot', of: 'single', over: 'cluster1', atMost: 0.7 },
  { label: '(same, as CPU time to the first 200)', metric: 'bootCpu', of: 'single', over: 'cluster1', atMost: 0.7 },
  { label: 'single: drain, response → exit (ms)', metric: 'drainAfterResponse', of: 'single', atMost: 50 },
  { label: 'single: drain, no connections (ms)', metric: 'drainNone', of: 'single', atMost: 20 },
  { label: 'single: drain, idle keep-alive (ms)', metric: 'drainIdle', of: 'single', atMost: 20 },
  { label: 'cluster(2) ours / raw: keep-alive req/s', metric: 'kaRps', of: 'ours2', over: 'cluster2', atLeast: 0.97 },
  { label: 'cluster(2) ours / raw: close req/s', metric: 'closeRps', of: 'ours2', over: 'cluster2', atLeast: 0.97 },
  { label: 'cluster(2) ours / raw: tree RSS after boot', metric: 'rssBoot', of: 'ours2', over: 'cluster2', atMost: 1.05 },
  { label: 'cluster(2) ours: drain, response → exit (ms)', metric: 'drainAfterResponse', of: 'ours2', atMost: 50 },
  { label: 'cluster(2) ours: drain, idle keep-alive (ms)', metric: 'drainIdle', of: 'ours2', atMost: 20 },
  { label: 'single: readiness 503 after SIGTERM (ms)', metric: 'flip', of: 'single', atMost: READINESS_FLIP_TARGET_MS },
  { label: 'cluster(2) ours: readiness 503 after SIGTERM (ms)', metric: 'flip', of: 'ours2', atMost: READINESS_FLIP_TARGET_MS },
  { label: 'cluster(2) ours: first respawn, SIGKILL → listening (ms)', metric: 'respawn', of: 'ours2', atMost: FIRST_RESPAWN_TARGET_MS },
];

const median = (samples: Samples, id: VariantId, metric: Metric) => summarize(samples[id][metric])?.median;

export function targetRows(samples: Samples) {
  return TARGETS.map((t) => {
    const value = median(samples, t.of, t.metric);
    const base = t.over ? median(samples, t.over, t.metric) : 1;
    const measured = value === undefined || base === undefined ? undefined : value / base;
    const goal = t.atMost !== undefined ? `≤ ${t.atMost}` : `≥ ${t.atLeast}`;
    const pass = measured === undefined ? undefined : t.atMost !== undefined ? measured <= t.atMost : measured >= t.atLeast!;
    return { label: t.label, measured, goal, pass, digits: t.over ? 2 : 1 };
  });
}

const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
const header = (cells: string[]) => [row(cells), row(cells.map(() => '---'))];

export function tables(samples: Samples): string {
  const lines: string[] = [];
  const each = (render: (id: VariantId) => string[]) => VARIANTS.map((v) => row([v.label, ...render(v.id)]));
  const c = (id: VariantId, metric: Metric, digits: number) => cell(summarize(samples[id][metric]), digits);

  lines.push('### Boot → first HTTP 200, and memory of the whole process tree (MiB)', '');
  lines.push(...header(['variant', 'boot → 200 ms', 'tree CPU ms to the first 200', 'RSS after boot', 'PSS after boot', 'RSS after load', 'PSS after load']));
  lines.push(...each((id) => [c(id, 'boot', 1), c(id, 'bootCpu', 0), c(id, 'rssBoot', 1), c(id, 'pssBoot', 1), c(id, 'rssLoad', 1), c(id, 'pssLoad', 1)]));

  lines.push('', '### Load: keep-alive and `Connection: close` (latency in ms; CPU of the whole tree per request in the close run)', '');
  lines.push(...header(['variant', 'keep-alive req/s', 'KA p50', 'KA p99', 'close req/s', 'close p50', 'close p99', 'CPU µs/req (close)']));
  lines.push(
    ...each((id) => [
      c(id, 'kaRps', 0),
      c(id, 'kaP50', 2),
      c(id, 'kaP99', 2),
      c(id, 'closeRps', 0),
      c(id, 'closeP50', 2),
      c(id, 'closeP99', 2),
      c(id, 'cpuUs', 0),
    ]),
  );

  lines.push('', '### Drain: SIGTERM → whole tree exited (ms)', '');
  lines.push(
    ...header(['variant', 'no connections', 'one idle keep-alive socket', 'request in flight: SIGTERM → exit', 'in flight: its response → exit', 'its `Connection` header']),
  );
  lines.push(
    ...each((id) => [
      c(id, 'drainNone', 1),
      c(id, 'drainIdle', 1),
      c(id, 'drainInflight', 1),
      c(id, 'drainAfterResponse', 1),
      [...new Set(samples[id].connection)].join(', ') || '–',
    ]),
  );

  lines.push('', '### Lifecycle (ours): readiness flip and respawn (ms)', '');
  lines.push(...header(['variant', 'SIGTERM → /healthcheck 503', 'SIGKILL a worker → its replacement listens', 'the replacement: fork → listening']));
  lines.push(...VARIANTS.filter((v) => OURS.has(v.id)).map((v) => row([v.label, c(v.id, 'flip', 1), c(v.id, 'respawn', 0), c(v.id, 'workerBoot', 0)])));

  lines.push('', '### Targets (ratios of medians from this run)', '');
  lines.push(...header(['target', 'measured', 'goal', 'result']));
  for (const t of targetRows(samples)) {
    const verdict = t.pass === undefined ? 'not measured' : t.pass ? 'pass' : '**miss**';
    lines.push(row([t.label, t.measured === undefined ? '–' : fmt(t.measured, t.digits), t.goal, verdict]));
  }
  return lines.join('\n');
}
