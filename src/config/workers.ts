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

/**
 * A CPU quota from cgroup v2's `cpu.max`: `<quota> <period>` in µs (`max <period>`: none). The SDK's
 * rule above counts every CPU of the machine (`os.cpus().length`); in a container whose quota is
 * lower, those workers share fewer CPUs than their number. The rule stays (spec D2); the CPU count
 * decision gets a `config` warning instead (cpuQuotaWarning). Read in every process that resolves
 * the worker count from the CPU count, on every Node line: Node 20's `os.availableParallelism()`
 * reads CPU affinity only (libuv reads the quota from 1.49, Node 22.12).
 */
export interface CpuQuota {
  /** quota / period: 1.5 for `150000 100000`. */
  cpus: number;
  /** The file's text, as read. */
  cpuMax: string;
  file: string;
}

/** `{ quotaUs, periodUs }`, `'max'` for no limit, or undefined if the text is not a cpu.max line. */
export function parseCpuMax(text: string): { quotaUs: number; periodUs: number } | 'max' | undefined {
  const match = /^(max|\d+)[ \t]+(\d+)$/.exec(text.trim());
  if (!match) return undefined;
  const periodUs = Number(match[2]);
  if (!(periodUs > 0)) return undefined;
  if (match[1] === 'max') return 'max';
  const quotaUs = Number(match[1]);
  return quotaUs > 0 ? { quotaUs, periodUs } : undefined;
}

/**
 * The cpu.max files that limit this process: its own cgroup v2 directory (the `0::<path>` line of
 * /proc/self/cgroup) and each parent up to the mount point, since a parent's quota limits its
 * children too. None on a cgroup v1-only host.
 */
export function cgroupCpuMaxFiles(procSelfCgroup: string, mount = '/sys/fs/cgroup'): string[] {
  const line = procSelfCgroup.split('\n').find((l) => l.startsWith('0::'));
  if (!line) return [];
  const files: string[] = [];
  let dir = line.slice(3).trim() || '/';
  for (let depth = 0; depth < 64; depth++) {
    files.push(`${mount}${dir === '/' ? '' : dir}/cpu.max`);
    if (dir === '/') break;
    dir = dir.slice(0, dir.lastIndexOf('/')) || '/';
  }
  return files;
}

/**
 * The tightest quota among `files` (unreadable or unlimited ones are skipped), or undefined when
 * there is none. `read` returns a file's text or throws.
 */
export function tightestCpuQuota(files: string[], read: (file: string) => string): CpuQuota | undefined {
  let tightest: CpuQuota | undefined;
  for (const file of files) {
    let cpuMax: string;
    try {
      cpuMax = read(file).trim();
    } catch {
      continue;
    }
    const parsed = parseCpuMax(cpuMax);
    if (!parsed || parsed === 'max') continue;
    const cpus = parsed.quotaUs / parsed.periodUs;
    if (!tightest || cpus < tightest.cpus) tightest = { cpus, cpuMax, file };
  }
  return tightest;
}

/**
 * A warning when the worker count came from the CPU count and the quota cannot run that many
 * workers at once: `max(1, floor(quota))` (libuv's rule for `os.availableParallelism()`) is fewer.
 */
export function cpuQuotaWarning(resolution: WorkerResolution, cpuCount: number, quota: CpuQuota | undefined): string | undefined {
  if (resolution.from !== 'CPU count' || !quota) return undefined;
  const fits = Math.max(1, Math.floor(quota.cpus));
  if (fits >= resolution.workers) return undefined;
  const cpus = Number(quota.cpus.toFixed(2));
  return (
    `"workers" falls back to the CPU count (${cpuCount} CPUs: ${resolution.workers} workers), but this process's CPU quota is ` +
    `${cpus} CPU${cpus === 1 ? '' : 's'} (${quota.file}: "${quota.cpuMax}"); set "workers" in service.json (or WORKERS) to ${fits}`
  );
}
