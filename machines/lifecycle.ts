import type { DoneActorEvent, ErrorActorEvent } from 'xstate';
import { requireCommonJs } from '../src/deps/require.js';
import {
  announceUp,
  beginDrain,
  exitProcess,
  loadConfig,
  logCrash,
  logDrainStart,
  logFailure,
  logSignalBeforeServing,
  processEvents,
  resolveWorkers,
  runDrain,
  shortenDrain,
  startCluster,
  startInline,
  type Role,
  type WorkerDecision,
} from '../src/core/actors.js';
import type { DrainSignal, LoadedConfig, Runner } from '../src/core/runner.js';
import { EXIT, SIGNAL_EXIT } from '../src/core/exit-codes.js';

const { assign, setup } = requireCommonJs('xstate') as typeof import('xstate');

export interface LifecycleInput {
  /** Service root: the folder with service.json and the entry module. */
  root: string;
  /** Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** CLI flags that override the environment. */
  flags?: { port?: string };
  /** `worker` when this process was forked by a cluster primary. */
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
  | { type: 'SIGTERM' }
  | { type: 'SIGINT' }
  | { type: 'CRASH'; error: unknown }
  | { type: 'CLUSTER_GAVE_UP'; reason: string; exitCode: number };

// Invoke outcomes reach named actions typed as the machine's own events; these read them back.
const errorOf = (event: unknown) => (event as ErrorActorEvent).error;
const outputOf = <T>(event: unknown) => (event as DoneActorEvent<T>).output;
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export const lifecycleMachine = setup({
  types: {
    context: {} as LifecycleContext,
    events: {} as LifecycleEvent,
    input: {} as LifecycleInput,
  },
  actors: { processEvents, loadConfig, resolveWorkers, startInline, startCluster, runDrain },
  guards: {
    isClusterWorker: ({ context }) => context.role === 'worker',
    isSingleWorker: ({ event }) => outputOf<WorkerDecision>(event).workers === 1,
  },
  actions: {
    recordConfig: assign({ config: ({ event }) => outputOf<LoadedConfig>(event) }),
    recordDecision: assign({ decision: ({ event }) => outputOf<WorkerDecision>(event) }),
    recordRunner: assign({ runner: ({ event }) => outputOf<Runner>(event) }),
    recordFailure: assign(({ event }) => {
      const error = errorOf(event);
      const code = (error as { exitCode?: unknown })?.exitCode;
      return { exitCode: typeof code === 'number' ? code : EXIT.BOOT_FAILED, error: messageOf(error) };
    }),
    recordCrash: assign(({ event }) => ({
      exitCode: EXIT.CRASH,
      error: messageOf(event.type === 'CRASH' ? event.error : errorOf(event)),
    })),
    recordSignalExit: assign({ exitCode: ({ event }) => SIGNAL_EXIT[event.type as DrainSignal] }),
    recordGiveUp: assign(({ event }) =>
      event.type === 'CLUSTER_GAVE_UP' ? { exitCode: event.exitCode, error: event.reason } : {},
    ),
    recordDrainSignal: assign({ drainSignal: ({ event }) => event.type as DrainSignal }),
    recordDrained: assign({ exitCode: ({ context }) => SIGNAL_EXIT[context.drainSignal!] }),
    announceUp,
    beginDrain,
    exitProcess,
    logFailure,
    logCrash,
    logDrainStart,
    logSignalBeforeServing,
    shortenDrain,
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
  on: {
    CRASH: { target: '.exited', actions: ['recordCrash', 'logCrash'] },
  },
  initial: 'boot',
  states: {
    boot: {
      invoke: {
        id: 'loadConfig',
        src: 'loadConfig',
        input: ({ context }) => ({ root: context.root, env: context.env, flags: context.flags, role: context.role }),
        onDone: { target: 'resolveWorkers', actions: 'recordConfig' },
        onError: { target: 'exited', actions: ['recordFailure', 'logFailure'] },
      },
      on: {
        SIGTERM: { target: 'exited', actions: ['recordSignalExit', 'logSignalBeforeServing'] },
        SIGINT: { target: 'exited', actions: ['recordSignalExit', 'logSignalBeforeServing'] },
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
          { target: 'forkingCluster', actions: 'recordDecision' },
        ],
        onError: { target: 'exited', actions: ['recordFailure', 'logFailure'] },
      },
      on: {
        SIGTERM: { target: 'exited', actions: ['recordSignalExit', 'logSignalBeforeServing'] },
        SIGINT: { target: 'exited', actions: ['recordSignalExit', 'logSignalBeforeServing'] },
      },
    },
    servingInline: {
      initial: 'starting',
      states: {
        starting: {
          invoke: {
            id: 'startInline',
            src: 'startInline',
            input: ({ context, self }) => ({ config: context.config!, decision: context.decision!, parent: self }),
            onDone: { target: 'listening', actions: 'recordRunner' },
            onError: { target: '#lifecycle.exited', actions: ['recordFailure', 'logFailure'] },
          },
          on: {
            SIGTERM: { target: '#lifecycle.exited', actions: ['recordSignalExit', 'logSignalBeforeServing'] },
            SIGINT: { target: '#lifecycle.exited', actions: ['recordSignalExit', 'logSignalBeforeServing'] },
          },
        },
        listening: {
          entry: 'announceUp',
          on: {
            SIGTERM: { target: '#lifecycle.draining', actions: ['recordDrainSignal', 'beginDrain'] },
            SIGINT: { target: '#lifecycle.draining', actions: ['recordDrainSignal', 'beginDrain'] },
          },
        },
      },
    },
    forkingCluster: {
      initial: 'forking',
      states: {
        forking: {
          invoke: {
            id: 'startCluster',
            src: 'startCluster',
            input: ({ context, self }) => ({ config: context.config!, decision: context.decision!, parent: self }),
            onDone: { target: 'serving', actions: 'recordRunner' },
            onError: { target: '#lifecycle.exited', actions: ['recordFailure', 'logFailure'] },
          },
          on: {
            SIGTERM: { target: '#lifecycle.exited', actions: ['recordSignalExit', 'logSignalBeforeServing'] },
            SIGINT: { target: '#lifecycle.exited', actions: ['recordSignalExit', 'logSignalBeforeServing'] },
            CLUSTER_GAVE_UP: { target: '#lifecycle.exited', actions: 'recordGiveUp' },
          },
        },
        serving: {
          entry: 'announceUp',
          on: {
            SIGTERM: { target: '#lifecycle.draining', actions: ['recordDrainSignal', 'beginDrain'] },
            SIGINT: { target: '#lifecycle.draining', actions: ['recordDrainSignal', 'beginDrain'] },
            CLUSTER_GAVE_UP: { target: '#lifecycle.exited', actions: 'recordGiveUp' },
          },
        },
      },
    },
    draining: {
      id: 'draining',
      entry: 'logDrainStart',
      invoke: {
        id: 'runDrain',
        src: 'runDrain',
        input: ({ context }) => ({ runner: context.runner!, signal: context.drainSignal!, config: context.config! }),
        onDone: { target: 'exited', actions: 'recordDrained' },
        onError: { target: 'exited', actions: ['recordCrash', 'logCrash'] },
      },
      on: {
        SIGINT: { actions: 'shortenDrain' },
      },
    },
    exited: {
      type: 'final',
      entry: 'exitProcess',
    },
  },
});
