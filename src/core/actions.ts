/**
 * The lifecycle's side-effect actions. Each takes typed params that the machine computes from its
 * context and event; none reads the machine's context itself.
 */
import { info, describeError, error as logError } from './log.js';
import { LifecycleError, LifecycleErrors } from './errors.js';
import { exitAfterTransition } from './exit.js';
import type { DrainSignal } from './signals.js';
import type { LoadedConfig, Role, Runner, WorkerDecision } from './types.js';

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
