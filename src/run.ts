import { createActor, type InspectionEvent, type Observer } from 'xstate';
import { lifecycleMachine, type LifecycleInput } from '../machines/lifecycle.js';
import { EXIT } from './exit-codes.js';
import { describeError, error as logError, info } from './log.js';

export interface StartOptions extends LifecycleInput {
  /** No transition log lines. */
  quiet?: boolean;
  /** Same as createActor's `inspect`: receives every inspection event of the actor system. */
  inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void);
}

const stateName = (value: unknown): string =>
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

/** Boots a service: `createActor(lifecycleMachine, { input })` plus the transition log. */
export function startLifecycle({ quiet, inspect, ...input }: StartOptions) {
  const observers: Array<(event: InspectionEvent) => void> = [];
  if (!quiet) observers.push(transitionLogger());
  if (inspect) observers.push(typeof inspect === 'function' ? inspect : (event) => inspect.next?.(event));
  const actor = createActor(lifecycleMachine, {
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
