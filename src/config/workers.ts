/** node:cluster never forks more than this many workers, whatever the CPU count says. */
export const MAX_WORKERS = 4;

/** A value service.json's "workers" is taken at: a positive integer. */
export const isWorkerCount = (value: unknown): value is number => Number.isInteger(value) && (value as number) > 0;

/** Which setting decided the worker count; the `up` line says it. */
export type WorkersFrom = 'linked mode' | 'WORKERS' | 'service.json' | 'CPU count';

export interface WorkerResolution {
  workers: number;
  from: WorkersFrom;
  /** Why the configured value was not used as is, for a warning line. */
  warning?: string;
}

/**
 * The SDK's rule, unchanged: linked mode runs one worker; a positive integer in service.json is
 * taken as is; anything else falls back to the CPU count; never more than MAX_WORKERS. `override`
 * (the WORKERS variable, already checked to be 1 to MAX_WORKERS) comes before service.json, never
 * before linked mode.
 */
export function resolveWorkerCount(configured: unknown, opts: { linked: boolean; cpus: number; override?: number }): WorkerResolution {
  if (opts.linked) {
    const ignored = opts.override !== undefined ? `WORKERS=${opts.override}` : isWorkerCount(configured) && configured > 1 ? `service.json "workers": ${configured}` : undefined;
    return { workers: 1, from: 'linked mode', ...(ignored ? { warning: `${ignored} is ignored in linked mode, which runs one process (debugger on it)` } : {}) };
  }
  if (opts.override !== undefined) return { workers: opts.override, from: 'WORKERS' };
  const cpus = Math.max(1, Math.min(opts.cpus, MAX_WORKERS));
  if (configured === undefined) return { workers: cpus, from: 'CPU count' };
  if (isWorkerCount(configured)) {
    if (configured > MAX_WORKERS) {
      return {
        workers: MAX_WORKERS,
        from: 'service.json',
        warning: `service.json: "workers" is ${configured}; capped at ${MAX_WORKERS} (MAX_WORKERS)`,
      };
    }
    return { workers: configured, from: 'service.json' };
  }
  return {
    workers: cpus,
    from: 'CPU count',
    warning: `service.json: "workers" is ${JSON.stringify(configured)}; expected a positive integer, using the CPU count (${cpus})`,
  };
}
