/**
 * The side effects of the lifecycle statechart, provided to `setup()` in machines/lifecycle.ts.
 * Tests swap any of them with `lifecycleMachine.provide(...)`. Heavy modules (Koa, the route table,
 * node:cluster) are imported inside the actor that needs them, so each mode pays only for itself.
 */
import { cpus } from 'node:os';
import type { AnyActorRef, ErrorActorEvent } from 'xstate';
import { requireCommonJs } from '../deps/require.js';
import { readRuntimeEnv } from '../config/env.js';
import { resolveWorkerCount } from '../config/workers.js';
import { LifecycleErrors } from './errors.js';
import { describeError, error as logError, info, warn } from './log.js';
import { exitAfterTransition } from './exit.js';
import { drainDeadlineMs, SIGINT_DEADLINE_MS, type DrainSignal, type LoadedConfig, type Mode, type Runner } from './runner.js';

const { fromCallback, fromPromise } = requireCommonJs('xstate') as typeof import('xstate');

/** `main` is the process the user started; `worker` was forked by a cluster primary. */
export type Role = 'main' | 'worker';

export interface WorkerDecision {
  workers: number;
  mode: Mode;
}

export interface StartInput {
  config: LoadedConfig;
  decision: WorkerDecision;
  /** The lifecycle actor, for events that arrive after serving started (a cluster giving up). */
  parent: AnyActorRef;
}

interface LifecycleSnapshotLike {
  context: {
    config?: LoadedConfig;
    decision?: WorkerDecision;
    runner?: Runner;
    role: Role;
    drainSignal?: DrainSignal;
    exitCode?: number;
    error?: string;
  };
}
type ActionArgs = LifecycleSnapshotLike & { event: { type: string } };

/** Turns process signals and uncaught exceptions into lifecycle events, for every state. */
export const processEvents = fromCallback(({ sendBack }) => {
  const onSigterm = () => sendBack({ type: 'SIGTERM' });
  const onSigint = () => sendBack({ type: 'SIGINT' });
  const onException = (error: unknown) => sendBack({ type: 'CRASH', error });
  const onRejection = (reason: unknown) => warn('unhandled-rejection', { ...describeError(reason), note: 'logged; still serving' });
  process.on('SIGTERM', onSigterm);
  process.on('SIGINT', onSigint);
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('SIGTERM', onSigterm);
    process.off('SIGINT', onSigint);
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
});

/** A cluster worker takes service.json as its primary validated it; any other process reads and validates it. */
async function readServiceJson(root: string, env: NodeJS.ProcessEnv, role: Role) {
  if (role === 'worker') {
    const inherited = (await import('../cluster/inherited-service-json.js')).takeInheritedServiceJson(env);
    if (inherited) return inherited;
  }
  return (await import('../config/service-json.js')).loadServiceJson(root);
}

export const loadConfig = fromPromise<LoadedConfig, { root: string; env: NodeJS.ProcessEnv; flags: { port?: string }; role: Role }>(
  async ({ input }) => {
    const runtime = readRuntimeEnv(input.env, input.flags);
    const serviceJson = await readServiceJson(input.root, input.env, input.role);
    // Before the entry module is imported, so the service sees it at import time.
    if (serviceJson.deterministicVary) input.env.DETERMINISTIC_VARY = 'true';
    return { root: input.root, serviceJson, runtime };
  },
);

export const resolveWorkers = fromPromise<WorkerDecision, { config: LoadedConfig; role: Role }>(async ({ input }) => {
  if (input.role === 'worker') return { workers: 1, mode: 'worker' };
  const { workers, warning } = resolveWorkerCount(input.config.serviceJson.workers, {
    linked: input.config.runtime.linked,
    cpus: cpus().length,
  });
  if (warning) warn('config', { field: 'workers', message: warning });
  return { workers, mode: workers === 1 ? 'single' : 'cluster' };
});

export const startInline = fromPromise<Runner, StartInput>(async ({ input, signal }) => {
  if (input.decision.mode === 'worker') {
    const { startWorker } = await import('../cluster/worker.js');
    return startWorker(input.config, signal);
  }
  const { startSingle } = await import('../serving/single.js');
  return startSingle(input.config, input.decision, signal);
});

export const startCluster = fromPromise<Runner, StartInput>(async ({ input, signal }) => {
  const { startPrimary } = await import('../cluster/primary.js');
  return startPrimary(input, signal);
});

export const runDrain = fromPromise<void, { runner: Runner; signal: DrainSignal; config: LoadedConfig }>(({ input }) =>
  input.runner.drain({
    signal: input.signal,
    deadlineMs: drainDeadlineMs(input.signal, input.config.serviceJson),
    delayMs: input.config.runtime.shutdownDelayMs,
  }),
);

export function announceUp({ context }: ActionArgs) {
  const { runner, decision, config } = context;
  if (!runner || !decision || !config || context.role === 'worker') return;
  void import('../serving/up.js').then(({ announce }) => announce(config, decision, runner));
}

/**
 * Runs in the transition into `draining`, before the drain actor exists: until readiness flips, a
 * load balancer may still route new requests to this replica.
 */
export function beginDrain({ context, event }: ActionArgs) {
  context.runner?.beginDrain(event.type as DrainSignal);
}

export function shortenDrain({ context }: ActionArgs) {
  context.runner?.shortenDeadline(SIGINT_DEADLINE_MS);
}

export function logDrainStart({ context }: ActionArgs) {
  const signal = context.drainSignal!;
  info('draining', {
    signal,
    deadlineMs: drainDeadlineMs(signal, context.config!.serviceJson),
    delayMs: context.config!.runtime.shutdownDelayMs,
  });
}

export function logFailure({ event }: ActionArgs) {
  const error = (event as unknown as ErrorActorEvent).error;
  const problems = error instanceof LifecycleErrors ? error.problems : [error];
  for (const problem of problems) {
    const field = (problem as { field?: string }).field;
    logError('boot-failed', { message: problem instanceof Error ? problem.message : String(problem), ...(field ? { field } : {}) });
  }
}

export function logCrash({ event }: ActionArgs) {
  const error = event.type === 'CRASH' ? (event as { error?: unknown }).error : (event as unknown as ErrorActorEvent).error;
  logError('crash', { ...describeError(error), note: 'exiting; the orchestrator restarts the process' });
}

export function logSignalBeforeServing({ event }: ActionArgs) {
  info('signal-before-serving', { signal: event.type, note: 'exiting without serving' });
}

export function exitProcess({ context }: ActionArgs) {
  exitAfterTransition(context.exitCode ?? 0, context.error);
}
