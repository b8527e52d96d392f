/**
 * The lifecycle's actors that do not depend on the app: process events, the worker count and the
 * drain. The app's own (`loadConfig`, `startInline`, `startCluster`) come from `appActors()`.
 */
import { cpus } from 'node:os';
import { resolveWorkerCount } from '../config/workers.js';
import { fromCallback, fromPromise } from '../deps/xstate.js';
import { describeError, warn } from './log.js';
import { DRAIN_SIGNALS, drainDeadlineMs, signalEvent } from './signals.js';
import type { ResolveWorkersInput, RunDrainInput, WorkerDecision } from './types.js';

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

export const resolveWorkers = fromPromise<WorkerDecision, ResolveWorkersInput>(async ({ input }) => {
  if (input.role === 'worker') return { workers: 1, mode: 'worker' };
  const { workers, from, warning } = resolveWorkerCount(input.config.serviceJson.workers, {
    linked: input.config.runtime.linked,
    cpus: cpus().length,
    override: input.config.runtime.workers,
  });
  if (warning) warn('config', { field: 'workers', message: warning });
  return { workers, mode: workers === 1 ? 'single' : 'cluster', from };
});

export const runDrain = fromPromise<void, RunDrainInput>(({ input }) =>
  input.runner.drain({
    signal: input.signal,
    deadlineMs: drainDeadlineMs(input.signal, input.config.serviceJson),
    delayMs: input.config.runtime.shutdownDelayMs,
  }),
);
