import type { InspectionEvent, Observer } from 'xstate';
import { createActor } from '../deps/xstate.js';
import { lifecycleMachine, type LifecycleInput } from '../../machines/lifecycle.js';
import { EXIT } from './exit-codes.js';
import { describeError, error as logError, info } from './log.js';
import type { Role } from './types.js';

export interface StartOptions extends LifecycleInput {
  /** The machine to run; default `lifecycleMachine` (the CLI's service shape). Pass `lifecycleMachine.provide({ actors: appActors(app) })` for your own app. */
  machine?: typeof lifecycleMachine;
  /** No transition log lines. */
  quiet?: boolean;
  /** Same as createActor's `inspect`: receives every inspection event of the actor system. */
  inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void);
}

/** `servingInline.listening` for `{ servingInline: 'listening' }`. */
export const stateName = (value: unknown): string =>
  typeof value === 'string'
    ? value
    : Object.entries(value as Record<string, unknown>)
        .map(([k, v]) => `${k}.${stateName(v)}`)
        .join(',');

/** One `lifecycle` line per transition of the root machine: from, to and the event that moved it. */
export function transitionLogger(): (event: InspectionEvent) => void {
  let current: string | undefined;
  return (inspection) => {
    if (inspection.type !== '@xstate.snapshot' || inspection.actorRef.sessionId !== inspection.rootId) return;
    const to = stateName((inspection.snapshot as { value?: unknown }).value);
    if (to === current) return;
    info('lifecycle', { from: current ?? null, to, event: inspection.event.type });
    current = to;
  };
}

/**
 * Options a CLI process takes from its environment: `LIFECYCLE_QUIET=1` (what `start --quiet`
 * sets) and `LIFECYCLE_INSPECT=ws://…` (what `start --inspect-lifecycle` sets). Cluster workers
 * inherit the environment, so they stay quiet and connect their own inspector the same way.
 */
export async function optionsFromEnv(env: NodeJS.ProcessEnv, role: Role): Promise<Pick<StartOptions, 'quiet' | 'inspect'>> {
  const quiet = env.LIFECYCLE_QUIET === '1';
  if (!env.LIFECYCLE_INSPECT) return { quiet };
  const [{ parseInspectorUrl }, { connectInspector }, { workerSlot }] = await Promise.all([
    import('../inspector/url.js'),
    import('../inspector/connect.js'),
    import('../cluster/worker-env.js'),
  ]);
  const url = parseInspectorUrl(env.LIFECYCLE_INSPECT, 'LIFECYCLE_INSPECT');
  return { quiet, inspect: connectInspector(url, { role, slot: role === 'worker' ? workerSlot(env) : undefined }).inspect };
}

/** Boots a service: `createActor(lifecycleMachine, { input })` plus the transition log. */
export function startLifecycle({ machine = lifecycleMachine, quiet, inspect, ...input }: StartOptions) {
  const observers: Array<(event: InspectionEvent) => void> = [];
  if (!quiet) observers.push(transitionLogger());
  if (inspect) observers.push(typeof inspect === 'function' ? inspect : (event) => inspect.next?.(event));
  const actor = createActor(machine, {
    input,
    inspect: observers.length ? (event) => observers.forEach((observe) => observe(event)) : undefined,
  });
  actor.subscribe({
    error: (err) => {
      logError('lifecycle-error', { ...describeError(err), note: 'the statechart itself failed' });
      process.exit(EXIT.CRASH);
    },
  });
  actor.start();
  return actor;
}
