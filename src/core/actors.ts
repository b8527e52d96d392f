/**
 * The lifecycle's side effects that do not depend on the app: the actors for process events, the
 * worker count and the drain, then the actions. The app's own actors (`loadConfig`, `startInline`,
 * `startCluster`) come from `appActors()`. Each action takes typed params that the machine computes
 * from its context and event; none reads the machine's context itself.
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolveTransport } from '../config/cluster-transport.js';
import { cgroupCpuMaxFiles, cpuQuotaWarning, resolveWorkerCount, tightestCpuQuota } from '../config/workers.js';
import { fromCallback, fromPromise } from '../deps/xstate.js';
import { LifecycleError, LifecycleErrors } from './errors.js';
import { exitAfterTransition } from './exit.js';
import { describeError, error as logError, info, warn } from './log.js';
import { DRAIN_SIGNALS, drainDeadlineMs, signalEvent, type DrainSignal } from './signals.js';
import type { LoadedConfig, ResolveWorkersInput, Role, RunDrainInput, Runner, WorkerDecision } from './types.js';

/** Turns process signals and uncaught exceptions into lifecycle events, for every state. */
export const processEvents = fromCallback(({ sendBack }) => {
  const listeners = DRAIN_SIGNALS.map((signal) => [signal, () => sendBack(signalEvent(signal))] as const);
  const onException = (error: unknown) => sendBack({ type: 'CRASH', error });
  const onRejection = (reason: unknown) => warn('unhandled-rejection', { ...describeError(reason), note: 'logged; still serving' });
  for (const [signal, listener] of listeners) process.on(signal, listener);
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    for (const [signal, listener] of listeners) process.off(signal, listener);
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
});

/**
 * The worker count and, for a cluster, how connections reach the workers. A worker takes the
 * transport its primary put in its environment (CLUSTER_REUSEPORT, rewritten by the primary).
 */
export const resolveWorkers = fromPromise<WorkerDecision, ResolveWorkersInput>(async ({ input }) => {
  const { runtime } = input.config;
  if (input.role === 'worker') return { workers: 1, mode: 'worker', transport: runtime.clusterReusePort ? 'reusePort' : 'round-robin' };
  const cpuCount = cpus().length;
  const resolution = resolveWorkerCount(input.config.serviceJson.workers, {
    linked: runtime.linked,
    cpus: cpuCount,
    override: runtime.workers,
  });
  const { workers, from, warning } = resolution;
  if (warning) warn('config', { field: 'workers', message: warning });
  if (from === 'CPU count') {
    const quota = cpuQuota(runtime.cpuMaxFile);
    const quotaWarning = cpuQuotaWarning(resolution, cpuCount, quota);
    if (quotaWarning) warn('config', { field: 'workers', message: quotaWarning, cpus: cpuCount, cpuQuota: quota!.cpus });
  }
  // One worker has no primary and so no accept hop to remove: CLUSTER_REUSEPORT changes nothing.
  if (workers === 1) return { workers, mode: 'single', from };
  const { transport, warning: fallback } = resolveTransport(runtime.clusterReusePort === true);
  if (fallback) warn('config', { field: 'CLUSTER_REUSEPORT', message: fallback });
  return { workers, mode: 'cluster', from, transport };
});

/** This process's cgroup v2 CPU quota (or the test override's), if any. */
function cpuQuota(overrideFile: string | undefined) {
  const read = (file: string) => readFileSync(file, 'utf8');
  if (overrideFile) return tightestCpuQuota([overrideFile], read);
  let own: string;
  try {
    own = read('/proc/self/cgroup');
  } catch {
    return undefined; // not Linux
  }
  return tightestCpuQuota(cgroupCpuMaxFiles(own), read);
}

export const runDrain = fromPromise<void, RunDrainInput>(({ input }) =>
  input.runner.drain({
    signal: input.signal,
    deadlineMs: drainDeadlineMs(input.signal, input.config.serviceJson),
    delayMs: input.config.runtime.shutdownDelayMs,
  }),
);

// Actions

/** Once per boot, in the process the user started: the `up` and `routes` lines and the up POST. */
export function announceUp(_: unknown, params: { config: LoadedConfig; decision: WorkerDecision; runner: Runner; role: Role }) {
  // A cluster worker serves too, but its primary announces the service, once.
  if (params.role === 'worker') return;
  void import('../serving/up.js').then(({ announce }) => announce(params.config, params.decision, params.runner));
}

/** In the transition into `draining`, before the drain actor exists: readiness flips at once. */
export function beginDrain(_: unknown, params: { runner: Runner; signal: DrainSignal }) {
  params.runner.beginDrain(params.signal);
}

export function shortenDrain(_: unknown, params: { runner: Runner; signal: DrainSignal; deadlineMs: number }) {
  params.runner.shortenDeadline(params.signal, params.deadlineMs);
}

export function logDrainStart(_: unknown, params: { signal: DrainSignal; deadlineMs: number; delayMs: number }) {
  info('draining', params);
}

export function logFailure(_: unknown, params: { error: unknown }) {
  const problems = params.error instanceof LifecycleErrors ? params.error.problems : [params.error];
  for (const problem of problems) {
    const field = (problem as { field?: string }).field;
    // The service's own error behind ours (a throw in its setup or at import): where it came from.
    const cause = problem instanceof LifecycleError ? problem.cause : problem instanceof Error ? problem : undefined;
    const stack = cause instanceof Error ? cause.stack : undefined;
    logError('boot-failed', { message: problem instanceof Error ? problem.message : String(problem), ...(field ? { field } : {}), ...(stack ? { stack } : {}) });
  }
}

export function logCrash(_: unknown, params: { error: unknown }) {
  logError('crash', { ...describeError(params.error), note: 'exiting; the orchestrator restarts the process' });
}

export function logSignalBeforeServing(_: unknown, params: { signal: DrainSignal }) {
  info('signal-before-serving', { signal: params.signal, note: 'exiting without serving' });
}

export function exitProcess(_: unknown, params: { code: number; reason?: string }) {
  exitAfterTransition(params.code, params.reason);
}
