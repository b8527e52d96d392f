/**
 * The lifecycle's test model, shared by the machine-level and the system-level suites: the events
 * the world can send (including the `xstate.done.actor.*` / `xstate.error.actor.*` events the
 * invoked actors would send), the paths `xstate/graph` enumerates from boot to exited over the
 * real `lifecycleMachine`, and an oracle for the exit code each path must end with.
 */
import { getSimplePaths, serializeSnapshot, type StatePath } from 'xstate/graph';
import { lifecycleMachine, type LifecycleEvent } from '../../machines/lifecycle.js';
import type { Role } from '../../src/core/types.js';
import { LifecycleError } from '../../src/core/errors.js';
import { EXIT } from '../../src/core/exit-codes.js';
import { stateName } from '../../src/core/run.js';

export type ActorOutcomeEvent = { type: `xstate.${'done' | 'error'}.actor.${string}`; output?: unknown; error?: unknown };
export type ModelEvent = LifecycleEvent | ActorOutcomeEvent;
export type ModelSnapshot = ReturnType<typeof lifecycleMachine.transition>;
export type ModelPath = StatePath<ModelSnapshot, ModelEvent>;

/** One move of a path: the state it starts from, the event, the state it must reach. */
export interface ModelStep {
  before: string;
  event: ModelEvent;
  after: string;
  snapshot: ModelSnapshot;
}

export const done = (id: string, output?: unknown): ActorOutcomeEvent => ({ type: `xstate.done.actor.${id}`, output });
export const failed = (id: string, error: unknown): ActorOutcomeEvent => ({ type: `xstate.error.actor.${id}`, error });

/** A stand-in runner as the invoked start actors would return it (the model never drains for real). */
export const modelRunner = (mode: 'single' | 'worker' | 'cluster') => ({
  mode,
  port: 5050,
  beginDrain: () => {},
  drain: () => Promise.resolve(),
  shortenDeadline: () => {},
  toJSON: () => ({ mode, port: 5050 }),
});
export const modelConfig = { root: '/model', serviceJson: { workers: 1, timeout: 10 }, runtime: { port: 5050, shutdownDelayMs: 0 } };

/** What each invoked actor can answer, and what the outside world can do, per role. */
export function modelEvents(role: Role): ModelEvent[] {
  const decisions =
    role === 'worker'
      ? [{ workers: 1, mode: 'worker', transport: 'round-robin' }]
      : [{ workers: 1, mode: 'single' }, { workers: 2, mode: 'cluster', transport: 'round-robin' }, { workers: 2, mode: 'cluster', transport: 'reusePort' }];
  return [
    done('loadConfig', modelConfig),
    failed('loadConfig', new Error('service.json: not valid JSON')),
    ...decisions.map((decision) => done('resolveWorkers', decision)),
    failed('resolveWorkers', new Error('cannot count CPUs')),
    done('startInline', modelRunner(role === 'worker' ? 'worker' : 'single')),
    failed('startInline', new LifecycleError('PORT 5050 is already in use', EXIT.LISTEN_FAILED, 'PORT')),
    done('startCluster', modelRunner('cluster')),
    failed('startCluster', new LifecycleError('worker failed to boot', EXIT.BOOT_FAILED)),
    done('runDrain'),
    failed('runDrain', new Error('drain blew up')),
    { type: 'signal.SIGTERM' },
    { type: 'signal.SIGINT' },
    { type: 'CRASH', error: new Error('uncaught in the service') },
    { type: 'CLUSTER_GAVE_UP', reason: 'workers keep crashing', exitCode: EXIT.CRASH_LOOP },
  ];
}

/**
 * An event the model can send in a state: an invoked actor's outcome only while that actor runs,
 * anything else when some transition takes it, including one that only keeps it from the root's
 * rule (a second SIGTERM while draining). An event nothing takes is not a move of the model.
 */
function isMove(state: ModelSnapshot, event: ModelEvent): boolean {
  const outcome = /^xstate\.(done|error)\.actor\.(.+)$/.exec(event.type);
  if (outcome && !(outcome[2]! in state.children)) return false;
  return lifecycleMachine.getTransitionData(state as never, event as never).length > 0;
}

/**
 * Every simple path from boot to `exited`. A transition that keeps the state (SIGINT while
 * draining shortens the deadline) is made a vertex of its own, so paths take it once.
 */
export function pathsToExit(role: Role): ModelPath[] {
  const paths = getSimplePaths(lifecycleMachine, {
    input: { root: '/model', env: {}, role },
    events: ((state: ModelSnapshot) => modelEvents(role).filter((event) => isMove(state, event))) as never,
    serializeState: (state, event, previous) =>
      serializeSnapshot(state) +
      (event && previous && dotted(previous.value) === dotted(state.value) ? ` after ${event.type}` : ''),
    stopWhen: (state) => state.status === 'done',
  }) as unknown as ModelPath[];
  return paths.filter((path) => path.state.status === 'done');
}

/** The graph's steps pair each state with the event that led to it (the first is `xstate.init`). */
export function stepsOf(path: ModelPath): ModelStep[] {
  return path.steps.slice(1).map((step, i) => ({
    before: dotted(path.steps[i]!.state.value),
    event: step.event,
    after: dotted(step.state.value),
    snapshot: step.state,
  }));
}

export const describePath = (path: ModelPath) =>
  stepsOf(path)
    .map((s) => {
      const name = s.event.type.replace(/^xstate\.(done|error)\.actor\./, '$1:');
      const { workers, transport } = (s.event as { output?: { workers?: number; transport?: string } }).output ?? {};
      if (name !== 'done:resolveWorkers') return name;
      return transport === 'reusePort' ? `${name}(${workers}, reusePort)` : `${name}(${workers})`;
    })
    .join(' → ');

/** The exit code a path must end with, stated independently of the machine's actions. */
export function expectedExitCode(path: ModelPath): number {
  const steps = stepsOf(path);
  const last = steps.at(-1)!.event;
  const intoDrain = steps.find((s) => s.after === 'draining' && s.before !== 'draining')?.event;
  switch (last.type) {
    case 'CRASH':
    case 'xstate.error.actor.runDrain':
      return EXIT.CRASH;
    case 'CLUSTER_GAVE_UP':
      return (last as { exitCode: number }).exitCode;
    case 'xstate.done.actor.runDrain':
      return intoDrain?.type === 'signal.SIGINT' ? EXIT.SIGINT : EXIT.SIGTERM;
    case 'signal.SIGTERM':
      return EXIT.SIGTERM;
    case 'signal.SIGINT':
      return EXIT.SIGINT;
  }
  if (last.type.startsWith('xstate.error.actor.')) {
    return ((last as ActorOutcomeEvent).error as { exitCode?: number }).exitCode ?? EXIT.BOOT_FAILED;
  }
  throw new Error(`no exit code known for a path ending in ${last.type}`);
}

/** The transition log's own state names, so the model and the real process speak alike. */
export const dotted = stateName;
