import type { DoneActorEvent, ErrorActorEvent } from 'xstate';
import { assign, setup } from '../src/deps/xstate.js';
import {
  announceUp,
  beginDrain,
  exitProcess,
  logCrash,
  logDrainStart,
  logFailure,
  logSignalBeforeServing,
  processEvents,
  resolveWorkers,
  runDrain,
  shortenDrain,
} from '../src/core/actors.js';
import { appActors } from '../src/core/app-actors.js';
import { EXIT } from '../src/core/exit-codes.js';
import { drainDeadlineMs, hurries, SIGNALS, signalOf, type DrainSignal, type SignalEvent } from '../src/core/signals.js';
import type { ClusterTransport } from '../src/config/cluster-transport.js';
import type { LoadedConfig, Role, Runner, WorkerDecision } from '../src/core/types.js';
import { serviceApp } from '../src/service/service-app.js';

export interface LifecycleInput {
  /** Service root: where the config source looks (by default the folder with service.json and the entry module). */
  root: string;
  /** Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** CLI flags that override the environment. */
  flags?: { port?: string };
  /** `worker` when this process was forked by a cluster primary (see `clusterRole()`). */
  role?: Role;
}

export interface LifecycleContext {
  root: string;
  env: NodeJS.ProcessEnv;
  flags: { port?: string };
  role: Role;
  config?: LoadedConfig;
  decision?: WorkerDecision;
  runner?: Runner;
  drainSignal?: DrainSignal;
  exitCode?: number;
  error?: string;
}

export type LifecycleEvent =
  | SignalEvent
  | { type: 'CRASH'; error: unknown }
  | { type: 'CLUSTER_GAVE_UP'; reason: string; exitCode: number };

// Invoke outcomes reach named actions typed as the machine's own events; these read them back.
const errorOf = (event: unknown) => (event as ErrorActorEvent).error;
const outputOf = <T>(event: unknown) => (event as DoneActorEvent<T>).output;
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The lifecycle: boot → resolveWorkers → (servingInline | forkingCluster) → draining → exited. A pure
 * declaration: every side effect is a named actor or action, provided by default for the CLI's own
 * service shape and replaced with `lifecycleMachine.provide(...)` (see `appActors`).
 */
export const lifecycleMachine = setup({
  types: {
    context: {} as LifecycleContext,
    events: {} as LifecycleEvent,
    input: {} as LifecycleInput,
  },
  actors: { processEvents, resolveWorkers, runDrain, ...appActors(serviceApp) },
  guards: {
    isClusterWorker: ({ context }) => context.role === 'worker',
    isSingleWorker: ({ event }) => outputOf<WorkerDecision>(event).workers === 1,
    usesReusePort: ({ event }) => outputOf<WorkerDecision>(event).transport === 'reusePort',
    hurriesDrain: ({ event }) => hurries(signalOf(event)),
  },
  actions: {
    recordConfig: assign({ config: ({ event }) => outputOf<LoadedConfig>(event) }),
    recordDecision: assign({ decision: ({ event }) => outputOf<WorkerDecision>(event) }),
    recordRunner: assign({ runner: ({ event }) => outputOf<Runner>(event) }),
    recordFailure: assign(({ event }) => {
      const code = (errorOf(event) as { exitCode?: unknown })?.exitCode;
      return { exitCode: typeof code === 'number' ? code : EXIT.BOOT_FAILED, error: messageOf(errorOf(event)) };
    }),
    recordCrash: assign(({ event }) => ({
      exitCode: EXIT.CRASH,
      error: messageOf(event.type === 'CRASH' ? event.error : errorOf(event)),
    })),
    recordSignalExit: assign({ exitCode: ({ event }) => SIGNALS[signalOf(event)].exitCode }),
    recordGiveUp: assign(({ event }) => (event.type === 'CLUSTER_GAVE_UP' ? { exitCode: event.exitCode, error: event.reason } : {})),
    recordDrainSignal: assign({ drainSignal: ({ event }) => signalOf(event) }),
    recordDrained: assign({ exitCode: ({ context }) => SIGNALS[context.drainSignal!].exitCode }),
    announceUp,
    beginDrain,
    shortenDrain,
    logDrainStart,
    logFailure,
    logCrash,
    logSignalBeforeServing,
    exitProcess,
  },
}).createMachine({
  id: 'lifecycle',
  context: ({ input }) => ({
    root: input.root,
    env: input.env ?? process.env,
    flags: input.flags ?? {},
    role: input.role ?? 'main',
  }),
  invoke: { id: 'processEvents', src: 'processEvents' },
  // What happens in every state that does not say otherwise.
  on: {
    CRASH: {
      target: '.exited',
      actions: ['recordCrash', { type: 'logCrash', params: ({ event }) => ({ error: event.type === 'CRASH' ? event.error : undefined }) }],
    },
    // Before serving, a signal stops the process: nothing is served.
    'signal.*': {
      target: '.exited',
      actions: ['recordSignalExit', { type: 'logSignalBeforeServing', params: ({ event }) => ({ signal: signalOf(event) }) }],
    },
    // An actor failing before serving (config, worker count, listen, fork) means the boot failed.
    'xstate.error.actor.*': {
      target: '.exited',
      actions: ['recordFailure', { type: 'logFailure', params: ({ event }: { event: unknown }) => ({ error: errorOf(event) }) }],
    },
  },
  initial: 'boot',
  states: {
    boot: {
      invoke: {
        id: 'loadConfig',
        src: 'loadConfig',
        input: ({ context }) => ({ root: context.root, env: context.env, flags: context.flags, role: context.role }),
        onDone: { target: 'resolveWorkers', actions: 'recordConfig' },
      },
    },
    resolveWorkers: {
      invoke: {
        id: 'resolveWorkers',
        src: 'resolveWorkers',
        input: ({ context }) => ({ config: context.config!, role: context.role }),
        onDone: [
          { guard: 'isClusterWorker', target: 'servingInline', actions: 'recordDecision' },
          { guard: 'isSingleWorker', target: 'servingInline', actions: 'recordDecision' },
          // CLUSTER_REUSEPORT=1 where supported: each worker listens itself (specs/cluster-reuseport.md).
          { guard: 'usesReusePort', target: 'forkingCluster.startingReusePort', actions: 'recordDecision' },
          { target: 'forkingCluster', actions: 'recordDecision' },
        ],
      },
    },
    servingInline: {
      initial: 'starting',
      states: {
        starting: {
          invoke: {
            id: 'startInline',
            src: 'startInline',
            input: ({ context }) => ({ config: context.config!, decision: context.decision! }),
            onDone: { target: 'serving', actions: 'recordRunner' },
          },
        },
        serving: servingState(),
      },
    },
    forkingCluster: {
      initial: 'starting',
      on: { CLUSTER_GAVE_UP: { target: 'exited', actions: 'recordGiveUp' } },
      states: {
        // Classic: the primary listens and hands every connection to a worker.
        starting: startingCluster('round-robin'),
        // Each worker listens on the port itself (SO_REUSEPORT); the primary forks and supervises only.
        startingReusePort: startingCluster('reusePort'),
        serving: servingState(),
      },
    },
    draining: {
      entry: {
        type: 'logDrainStart',
        params: ({ context }) => ({
          signal: context.drainSignal!,
          deadlineMs: drainDeadlineMs(context.drainSignal!, context.config!.serviceJson),
          delayMs: context.config!.runtime.shutdownDelayMs,
        }),
      },
      invoke: {
        id: 'runDrain',
        src: 'runDrain',
        input: ({ context }) => ({ runner: context.runner!, signal: context.drainSignal!, config: context.config! }),
        onDone: { target: 'exited', actions: 'recordDrained' },
        // The drain itself failing is a crash, not a boot failure.
        onError: { target: 'exited', actions: ['recordCrash', { type: 'logCrash', params: ({ event }) => ({ error: errorOf(event) }) }] },
      },
      on: {
        'signal.*': [
          {
            guard: 'hurriesDrain',
            actions: {
              type: 'shortenDrain',
              params: ({ context, event }) => ({
                runner: context.runner!,
                signal: signalOf(event),
                deadlineMs: drainDeadlineMs(signalOf(event), context.config!.serviceJson),
              }),
            },
          },
          // Any other signal changes nothing (a second SIGTERM): taken here, not by the root.
          {},
        ],
      },
    },
    exited: {
      type: 'final',
      entry: { type: 'exitProcess', params: ({ context }) => ({ code: context.exitCode ?? 0, reason: context.error }) },
    },
  },
});

/**
 * Forking the workers, with either transport: the same actor and the same way into serving; the state
 * says which transport, and puts it in the actor's input.
 */
function startingCluster(transport: ClusterTransport) {
  return {
    invoke: {
      id: 'startCluster',
      src: 'startCluster',
      input: ({ context, self }: { context: LifecycleContext; self: { send(event: LifecycleEvent): void } }) => ({
        config: context.config!,
        decision: context.decision!,
        transport,
        onGiveUp: (reason: string, exitCode: number) => self.send({ type: 'CLUSTER_GAVE_UP', reason, exitCode }),
      }),
      onDone: { target: 'serving', actions: 'recordRunner' },
    },
  } as const;
}

/**
 * Serving, in a single process or as a cluster: the same entry and the same way into the drain. The
 * `beginDrain` action runs in the transition itself, so readiness flips before anything else.
 */
function servingState() {
  return {
    entry: {
      type: 'announceUp',
      params: ({ context }: { context: LifecycleContext }) => ({
        config: context.config!,
        decision: context.decision!,
        runner: context.runner!,
        role: context.role,
      }),
    },
    on: {
      'signal.*': {
        target: '#lifecycle.draining',
        actions: [
          'recordDrainSignal',
          {
            type: 'beginDrain',
            params: ({ context, event }: { context: LifecycleContext; event: LifecycleEvent }) => ({ runner: context.runner!, signal: signalOf(event) }),
          },
        ],
      },
    },
  } as const;
}
