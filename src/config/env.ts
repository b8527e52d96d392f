import { usageError } from '../core/errors.js';
import { readFileSync } from 'node:fs';
import { MAX_WORKERS, parseCpuMax } from './workers.js';

export const DEFAULT_PORT = 5050;
export const DEFAULT_INSPECT_PORT = 5858;

/** What the process environment (and CLI flags that mirror it) decide about a run. */
export interface RuntimeEnv {
  port: number;
  /** Linked (dev) mode: one process, debugger on the main process. */
  linked: boolean;
  inspectPort: number;
  /** Time between the readiness flip and closing the listener, for load balancers to notice. */
  shutdownDelayMs: number;
  /** Idle keep-alive sockets are closed after this; set it above your load balancer's idle timeout. */
  keepAliveTimeoutMs: number;
  /** A client that has not sent its full headers by then is cut off (slowloris). */
  headersTimeoutMs: number;
  /** A request whose body has not arrived by then is answered 408. */
  requestTimeoutMs: number;
  upUrl?: string;
  /** WORKERS: the worker count, before service.json (never in linked mode). */
  workers?: number;
  /** LIFECYCLE_ACCESS_LOG=1: one `access` line per request. */
  accessLog: boolean;
  /**
   * CLUSTER_REUSEPORT=1: in cluster mode each worker listens on the port itself with SO_REUSEPORT,
   * where the platform and Node support it (src/config/cluster-transport.ts). In a cluster worker it
   * is what its primary decided, not what the operator asked for (src/cluster/worker-env.ts).
   * Optional for a RuntimeEnv built by hand; absent means off.
   */
  clusterReusePort?: boolean;
  /**
   * LIFECYCLE_CGROUP_CPU_MAX, for tests: a cgroup v2 `cpu.max` file read instead of this process's
   * own cgroup's (the CPU quota warning, see `cpuQuotaWarning`).
   */
  cpuMaxFile?: string;
}

/** An integer setting from the environment; `shownAs` is what the user typed it as (`--port` for the flag). */
export function intVar(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number, hint: string, shownAs = name): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw usageError(name, `${shownAs} is ${JSON.stringify(raw)}; expected ${hint}`);
  }
  return value;
}

export function readRuntimeEnv(env: NodeJS.ProcessEnv, flags: { port?: string } = {}): RuntimeEnv {
  if (flags.port !== undefined && flags.port.trim() === '') {
    throw usageError('PORT', '--port is empty; expected a port number from 0 to 65535');
  }
  const port =
    flags.port !== undefined
      ? intVar({ PORT: flags.port }, 'PORT', DEFAULT_PORT, 0, 65535, 'a port number from 0 to 65535', '--port')
      : intVar(env, 'PORT', DEFAULT_PORT, 0, 65535, 'a port number from 0 to 65535 (set PORT or --port)');
  const linked = Boolean(env.VTEX_APP_LINK) || Boolean(env.SERVICE_LINKED);
  const inspectPort = intVar(env, 'INSPECT_PORT', DEFAULT_INSPECT_PORT, 1, 65535, 'a port number from 1 to 65535');
  const shutdownDelayMs = intVar(env, 'SHUTDOWN_DELAY_MS', 0, 0, 600_000, 'milliseconds from 0 to 600000');
  const keepAliveTimeoutMs = intVar(env, 'KEEP_ALIVE_TIMEOUT_MS', 5_000, 1, 3_600_000, 'milliseconds from 1 to 3600000');
  const headersTimeoutMs = intVar(env, 'HEADERS_TIMEOUT_MS', 60_000, 1, 3_600_000, 'milliseconds from 1 to 3600000');
  const requestTimeoutMs = intVar(env, 'REQUEST_TIMEOUT_MS', 300_000, 1, 3_600_000, 'milliseconds from 1 to 3600000');
  if (headersTimeoutMs > requestTimeoutMs) {
    throw usageError('HEADERS_TIMEOUT_MS', `HEADERS_TIMEOUT_MS (${headersTimeoutMs}) exceeds REQUEST_TIMEOUT_MS (${requestTimeoutMs}); lower it or raise REQUEST_TIMEOUT_MS`);
  }
  let upUrl: string | undefined;
  if (env.LIFECYCLE_UP_URL) {
    upUrl = URL.canParse(env.LIFECYCLE_UP_URL) ? new URL(env.LIFECYCLE_UP_URL).toString() : undefined;
    // `localhost:8080/up` parses as a URL with scheme "localhost:": reject anything but http(s).
    if (!upUrl || !/^https?:$/.test(new URL(upUrl).protocol)) {
      throw usageError('LIFECYCLE_UP_URL', `LIFECYCLE_UP_URL is ${JSON.stringify(env.LIFECYCLE_UP_URL)}; expected an http(s) URL such as http://127.0.0.1:8080/up`);
    }
  }
  const workers = env.WORKERS ? intVar(env, 'WORKERS', 1, 1, MAX_WORKERS, `a worker count from 1 to ${MAX_WORKERS} (unset it to use service.json)`) : undefined;
  const accessLog = flag(env, 'LIFECYCLE_ACCESS_LOG');
  const cpuMaxFile = env.LIFECYCLE_CGROUP_CPU_MAX ? checkedCpuMaxFile(env.LIFECYCLE_CGROUP_CPU_MAX) : undefined;
  const clusterReusePort = flag(env, 'CLUSTER_REUSEPORT');
  return { port, linked, inspectPort, shutdownDelayMs, keepAliveTimeoutMs, headersTimeoutMs, requestTimeoutMs, upUrl, workers, accessLog, clusterReusePort, cpuMaxFile };
}

/** The test-only LIFECYCLE_CGROUP_CPU_MAX must name a readable file in cpu.max's format. */
function checkedCpuMaxFile(file: string): string {
  const expected = 'expected the path of a file in cgroup v2 cpu.max format, such as "150000 100000" or "max 100000" (a test-only override; unset it to read this process\'s own cgroup)';
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw usageError('LIFECYCLE_CGROUP_CPU_MAX', `LIFECYCLE_CGROUP_CPU_MAX is ${JSON.stringify(file)}, which cannot be read (${(err as NodeJS.ErrnoException).code ?? err}); ${expected}`);
  }
  if (!parseCpuMax(text)) {
    throw usageError('LIFECYCLE_CGROUP_CPU_MAX', `LIFECYCLE_CGROUP_CPU_MAX is ${JSON.stringify(file)}, which holds ${JSON.stringify(text.trim().slice(0, 40))}; ${expected}`);
  }
  return file;
}

/** A 0/1 switch; anything else is a usage error naming the variable. */
function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '' || raw === '0') return false;
  if (raw === '1') return true;
  throw usageError(name, `${name} is ${JSON.stringify(raw)}; expected 1 (on) or 0 (off)`);
}
