/** node:cluster never forks more than this many workers, whatever the CPU count says. */
export const MAX_WORKERS = 4;

/** A value service.json's "workers" is taken at: a positive integer. */
export const isWorkerCount = (value: unknown): value is number => Number.isInteger(value) && (value as number) > 0;

export interface WorkerResolution {
  workers: number;
  /** Why the configured value was not used as is, for a warning line. */
  warning?: string;
}

/**
 * The SDK's rule, unchanged: linked mode runs one worker; a positive integer in service.json is
 * taken as is; anything else falls back to the CPU count; never more than MAX_WORKERS.
 */
export function resolveWorkerCount(configured: unknown, opts: { linked: boolean; cpus: number }): WorkerResolution {
  if (opts.linked) return { workers: 1 };
  const cpus = Math.max(1, Math.min(opts.cpus, MAX_WORKERS));
  if (configured === undefined) return { workers: cpus };
  if (isWorkerCount(configured)) {
    if (configured > MAX_WORKERS) {
      return {
        workers: MAX_WORKERS,
        warning: `service.json: "workers" is ${configured}; capped at ${MAX_WORKERS} (MAX_WORKERS)`,
      };
    }
    return { workers: configured };
  }
  return {
    workers: cpus,
    warning: `service.json: "workers" is ${JSON.stringify(configured)}; expected a positive integer, using the CPU count (${cpus})`,
  };
}
