/**
 * The README's `provide()` example, typed from the package's public exports only: the machine runs
 * with stand-in actors and reaches `exited` with 15 after `signal.SIGTERM`.
 */
import { expect, test } from 'vitest';
import { createActor, fromCallback, fromPromise } from 'xstate';
import { lifecycleMachine } from 'service-lifecycle/machine';
import type { LoadedConfig, Runner } from 'service-lifecycle/types';

test('the README provide() example types and runs', async () => {
  const config: LoadedConfig = { root: '/srv/hello', serviceJson: { workers: 1, timeout: 2 }, runtime: { port: 0, linked: false, inspectPort: 5858, shutdownDelayMs: 0, keepAliveTimeoutMs: 5000, headersTimeoutMs: 60000, requestTimeoutMs: 300000, accessLog: false } };
  const drained: string[] = [];
  const runner: Runner = {
    mode: 'single',
    port: 0,
    beginDrain: (signal) => void drained.push(`begin ${signal}`),
    drain: async ({ signal, deadlineMs }) => void drained.push(`drain ${signal} ${deadlineMs}`),
    shortenDeadline: () => {},
    toJSON: () => ({}),
  };
  const machine = lifecycleMachine.provide({
    actors: {
      processEvents: fromCallback(() => () => {}), // the test sends signals itself
      loadConfig: fromPromise(async () => config),
      startInline: fromPromise(async () => runner),
    },
    actions: { announceUp: () => {}, logDrainStart: () => {}, exitProcess: () => {} },
  });
  const actor = createActor(machine, { input: { root: '/srv/hello' } }).start();
  await expect.poll(() => actor.getSnapshot().matches({ servingInline: 'serving' })).toBe(true);
  actor.send({ type: 'signal.SIGTERM' });
  await expect.poll(() => actor.getSnapshot().status).toBe('done');
  expect(actor.getSnapshot().value).toBe('exited');
  expect(actor.getSnapshot().context.exitCode).toBe(15);
  expect(drained).toEqual(['begin SIGTERM', 'drain SIGTERM 30000']);
});
