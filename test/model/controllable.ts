/**
 * `lifecycleMachine.provide(...)` with actors the test drives by hand: each invoked actor waits
 * until the test settles it (that is what sends its `xstate.done.actor.*` or `xstate.error.actor.*`
 * event), `processEvents` forwards what the test "delivers" as a signal, and every side-effect
 * action is recorded instead of run. The actor's microsteps tell which declared transitions ran.
 */
import { createActor, fromCallback, fromPromise } from 'xstate';
import { lifecycleMachine, type LifecycleInput } from '../../machines/lifecycle.js';
import { transitionKey } from '../../src/diagram/transitions.js';
import type { ModelEvent } from './model.js';

export const INVOKED = ['loadConfig', 'resolveWorkers', 'startInline', 'startCluster', 'runDrain'] as const;
export type InvokedId = (typeof INVOKED)[number];
const SIDE_EFFECTS = ['announceUp', 'beginDrain', 'exitProcess', 'logFailure', 'logCrash', 'logDrainStart', 'logSignalBeforeServing', 'shortenDrain'] as const;
export type SideEffect = (typeof SIDE_EFFECTS)[number];

interface Pending {
  input: Record<string, unknown>;
  settle(outcome: { output?: unknown } | { error: unknown }): void;
}

export function controllableLifecycle(input: LifecycleInput) {
  const pending = new Map<string, Pending>();
  const inputs = new Map<string, Record<string, unknown>>();
  const cancelled: string[] = [];
  const calls: Array<{ action: SideEffect; exitCode?: number }> = [];
  const runningAtCall = new Map<SideEffect, string[]>();
  const taken = new Set<string>();
  let deliver: ((event: ModelEvent) => void) | undefined;
  let listening = false;
  let giveUp: ((reason: string, exitCode: number) => void) | undefined;

  const gated = (id: InvokedId) =>
    fromPromise<unknown, Record<string, unknown>>(
      ({ input, signal }) =>
        new Promise((resolve, reject) => {
          inputs.set(id, input);
          if (id === 'startCluster') giveUp = input.onGiveUp as typeof giveUp;
          pending.set(id, {
            input,
            settle: (outcome) => ('error' in outcome ? reject(outcome.error) : resolve(outcome.output)),
          });
          signal.addEventListener('abort', () => pending.delete(id) && cancelled.push(id));
        }),
    );
  const record = (action: SideEffect) => ({ context }: { context: { exitCode?: number } }) => {
    calls.push({ action, exitCode: context.exitCode });
    runningAtCall.set(action, [...pending.keys()]);
  };

  const machine = lifecycleMachine.provide({
    actors: {
      processEvents: fromCallback(({ sendBack }) => {
        listening = true;
        deliver = sendBack as (event: ModelEvent) => void;
        return () => {
          listening = false;
        };
      }),
      ...(Object.fromEntries(INVOKED.map((id) => [id, gated(id)])) as Record<InvokedId, ReturnType<typeof gated>>),
    } as never,
    actions: Object.fromEntries(SIDE_EFFECTS.map((name) => [name, record(name)])) as never,
  });

  const actor = createActor(machine, {
    input,
    inspect: (inspection) => {
      if (inspection.type !== '@xstate.microstep' || inspection.actorRef !== actor) return;
      for (const t of inspection._transitions) taken.add(transitionKey(t));
    },
  });

  /** Does in the world what the model event stands for, then lets the actor settle. */
  async function send(event: ModelEvent) {
    const outcome = /^xstate\.(done|error)\.actor\.(.+)$/.exec(event.type);
    if (outcome) {
      const id = outcome[2]!;
      const waiting = pending.get(id);
      if (!waiting) throw new Error(`${event.type}: actor ${id} is not running`);
      pending.delete(id);
      waiting.settle(outcome[1] === 'done' ? { output: (event as { output?: unknown }).output } : { error: (event as { error: unknown }).error });
    } else if (event.type === 'CLUSTER_GAVE_UP') {
      if (!giveUp) throw new Error('CLUSTER_GAVE_UP: no cluster was started');
      giveUp(event.reason, event.exitCode);
    } else {
      if (!deliver || !listening) throw new Error(`${event.type}: nothing listens for process events`);
      deliver(event);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }

  return {
    actor,
    send,
    /** Invoked actors currently waiting to be settled. */
    running: () => [...pending.keys()].sort(),
    /** Whether the root `processEvents` actor is still listening. */
    listening: () => listening,
    inputOf: (id: InvokedId) => inputs.get(id),
    cancelled,
    calls,
    callsOf: (action: SideEffect) => calls.filter((c) => c.action === action),
    /** The invoked actors that were running when `action` was last called. */
    runningAt: (action: SideEffect) => runningAtCall.get(action),
    taken,
  };
}
