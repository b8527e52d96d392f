/**
 * Model-based tests of the statechart itself: every simple path from boot to exited that
 * `xstate/graph` finds over the real `lifecycleMachine` is replayed against the machine with
 * controllable actors, checking the invariants of every state after every step; then transition
 * coverage is computed from the machine's own definition.
 */
import { describe, expect, test } from 'vitest';
import { lifecycleMachine } from '../../machines/lifecycle.js';
import type { Role } from '../../src/core/types.js';
import { EXIT } from '../../src/core/exit-codes.js';
import { DRAIN_SIGNALS } from '../../src/core/signals.js';
import { declaredTransitions, pathOf, stateNodes } from '../../src/diagram/transitions.js';
import { controllableLifecycle } from './controllable.js';
import { describePath, dotted, expectedExitCode, modelConfig, pathsToExit, stepsOf, type ModelEvent, type ModelPath } from './model.js';

/** Which invoked actor must be running in each state (processEvents runs in all but exited). */
const RUNNING: Record<string, string[]> = {
  boot: ['loadConfig'],
  resolveWorkers: ['resolveWorkers'],
  'servingInline.starting': ['startInline'],
  'servingInline.serving': [],
  'forkingCluster.starting': ['startCluster'],
  'forkingCluster.startingReusePort': ['startCluster'],
  'forkingCluster.serving': [],
  draining: ['runDrain'],
  exited: [],
};
const SERVING = new Set(['servingInline.serving', 'forkingCluster.serving']);
const taken = new Set<string>();
const replayed: string[] = [];

async function replay(role: Role, path: ModelPath) {
  const model = controllableLifecycle({ root: '/model', env: {}, role });
  model.actor.start();
  let drainSignal: string | undefined;
  let sigintsWhileDraining = 0;
  let servedOnce = false;
  const check = (state: string, event?: ModelEvent) => {
    const snapshot = model.actor.getSnapshot();
    const { context } = snapshot;
    expect(dotted(snapshot.value), 'state').toBe(state);
    expect(model.running(), 'invoked actors running').toEqual(RUNNING[state]);
    expect(model.listening(), 'processEvents listening').toBe(state !== 'exited');
    // A final snapshot keeps listing its (stopped) children; `listening()` above covers exited.
    if (state !== 'exited') expect(Object.keys(snapshot.children).sort()).toEqual(['processEvents', ...RUNNING[state]!].sort());
    if (state === 'boot') expect(context.config).toBeUndefined();
    if (state === 'resolveWorkers') expect(context.config).toEqual(modelConfig);
    if (state.startsWith('servingInline')) expect(context.decision?.workers).toBe(1);
    if (state.startsWith('forkingCluster')) {
      expect(context.decision).toMatchObject({ workers: 2, mode: 'cluster' });
      // The state that forked the cluster is the one the decision's transport chose, and says so to startCluster.
      expect(model.inputOf('startCluster')?.transport).toBe(context.decision?.transport);
    }
    if (state === 'forkingCluster.starting') expect(context.decision?.transport).toBe('round-robin');
    if (state === 'forkingCluster.startingReusePort') expect(context.decision?.transport).toBe('reusePort');
    if (state === 'servingInline.starting' || state.startsWith('forkingCluster.starting')) {
      expect(model.inputOf(state.startsWith('forkingCluster') ? 'startCluster' : 'startInline')).toMatchObject({
        config: context.config,
        decision: context.decision,
      });
    }
    if (SERVING.has(state)) {
      servedOnce = true;
      expect(context.runner?.mode).toBe(state === 'forkingCluster.serving' ? 'cluster' : role === 'worker' ? 'worker' : 'single');
    }
    // Announced exactly once, on entering the serving state, never before.
    expect(model.callsOf('announceUp').length, 'announceUp calls').toBe(servedOnce ? 1 : 0);
    if (state === 'draining') {
      drainSignal ??= event!.type.replace('signal.', '');
      expect(context.drainSignal).toBe(drainSignal);
      expect(model.inputOf('runDrain')).toMatchObject({ runner: context.runner, signal: drainSignal, config: context.config });
      expect(model.callsOf('beginDrain')).toHaveLength(1);
      // In the transition itself: readiness does not wait for the drain actor to be created.
      expect(model.runningAt('beginDrain')).not.toContain('runDrain');
      expect(model.callsOf('logDrainStart')).toHaveLength(1);
      expect(model.callsOf('shortenDrain')).toHaveLength(sigintsWhileDraining);
    }
    if (state !== 'exited') {
      expect(context.exitCode, 'no exit code before exited').toBeUndefined();
      expect(model.callsOf('exitProcess')).toHaveLength(0);
    }
  };

  check('boot');
  for (const step of stepsOf(path)) {
    if (step.before === 'draining' && step.event.type === 'signal.SIGINT') sigintsWhileDraining++;
    await model.send(step.event);
    check(step.after, step.event);
  }

  const snapshot = model.actor.getSnapshot();
  const code = expectedExitCode(path);
  const last = stepsOf(path).at(-1)!;
  expect(snapshot.status).toBe('done');
  expect(snapshot.context.exitCode).toBe(code);
  expect(model.callsOf('exitProcess')).toEqual([{ action: 'exitProcess', exitCode: code }]);
  // Leaving a state cancels the actor it invoked: nothing is left waiting.
  expect(model.running()).toEqual([]);
  const preServing = !servedOnce && last.event.type.startsWith('signal.');
  expect(model.callsOf('logSignalBeforeServing')).toHaveLength(preServing ? 1 : 0);
  const bootFailure = /^xstate\.error\.actor\.(loadConfig|resolveWorkers|startInline|startCluster)$/.test(last.event.type);
  expect(model.callsOf('logFailure')).toHaveLength(bootFailure ? 1 : 0);
  expect(model.callsOf('logCrash')).toHaveLength(code === EXIT.CRASH ? 1 : 0);
  if (bootFailure || code === EXIT.CRASH) expect(snapshot.context.error).toEqual(expect.any(String));
  if (preServing) expect(model.cancelled).toEqual(RUNNING[last.before]);
  for (const key of model.taken) taken.add(key);
  replayed.push(`${role}: ${describePath(path)}`);
}

for (const role of ['main', 'worker'] as const) {
  describe(`every path from boot to exited, role ${role}`, () => {
    const paths = pathsToExit(role);
    test('the model finds paths', () => expect(paths.length).toBeGreaterThan(20));
    test.each(paths.map((path) => [`${describePath(path)} ⇒ exit ${expectedExitCode(path)}`, path] as const))('%s', (_name, path) =>
      replay(role, path),
    );
  });
}

/** What each signal or crash does in each state: the rows are the spec, checked one by one. */
const SIGNAL_TABLE: Record<string, Record<'SIGTERM' | 'SIGINT' | 'SIGHUP' | 'CRASH', string>> = {
  boot: { SIGTERM: 'exited 15', SIGINT: 'exited 2', SIGHUP: 'exited 1', CRASH: 'exited 70' },
  resolveWorkers: { SIGTERM: 'exited 15', SIGINT: 'exited 2', SIGHUP: 'exited 1', CRASH: 'exited 70' },
  'servingInline.starting': { SIGTERM: 'exited 15', SIGINT: 'exited 2', SIGHUP: 'exited 1', CRASH: 'exited 70' },
  'servingInline.serving': { SIGTERM: 'draining', SIGINT: 'draining', SIGHUP: 'draining', CRASH: 'exited 70' },
  'forkingCluster.starting': { SIGTERM: 'exited 15', SIGINT: 'exited 2', SIGHUP: 'exited 1', CRASH: 'exited 70' },
  'forkingCluster.startingReusePort': { SIGTERM: 'exited 15', SIGINT: 'exited 2', SIGHUP: 'exited 1', CRASH: 'exited 70' },
  'forkingCluster.serving': { SIGTERM: 'draining', SIGINT: 'draining', SIGHUP: 'draining', CRASH: 'exited 70' },
  draining: { SIGTERM: 'draining', SIGINT: 'draining', SIGHUP: 'draining', CRASH: 'exited 70' },
  exited: { SIGTERM: 'exited', SIGINT: 'exited', SIGHUP: 'exited', CRASH: 'exited' },
};
/** The exit code of a drain each signal started, stated apart from the machine's SIGNALS table. */
const DRAIN_EXIT = { SIGTERM: 15, SIGINT: 2, SIGHUP: 1 } as const;

describe('every state × {every signal, crash}', () => {
  test('the table has a row for every leaf state of the machine and a column for every signal it answers', () => {
    const leaves = stateNodes(lifecycleMachine).filter((n) => Object.keys(n.states).length === 0).map(pathOf);
    expect(Object.keys(SIGNAL_TABLE).sort()).toEqual(leaves.sort());
    expect(Object.keys(SIGNAL_TABLE.boot!).sort()).toEqual([...DRAIN_SIGNALS, 'CRASH'].sort());
    expect(Object.keys(DRAIN_EXIT).sort()).toEqual([...DRAIN_SIGNALS].sort());
  });

  test.each(DRAIN_SIGNALS.flatMap((signal) => (['single', 'cluster'] as const).map((mode) => [signal, mode] as const)))(
    'a drain that %s started (%s) exits with its code',
    async (signal, mode) => {
      const path = pathsToExit('main').find((p) => stepsOf(p).some((s) => s.after === (mode === 'single' ? 'servingInline.serving' : 'forkingCluster.serving')))!;
      const steps = stepsOf(path);
      const model = controllableLifecycle({ root: '/model', env: {}, role: 'main' });
      model.actor.start();
      for (const step of steps.slice(0, steps.findIndex((s) => s.after.endsWith('.serving')) + 1)) await model.send(step.event);
      await model.send({ type: `signal.${signal}` });
      expect(model.actor.getSnapshot().context.drainSignal).toBe(signal);
      await model.send({ type: 'xstate.done.actor.runDrain' });
      expect(model.actor.getSnapshot().context.exitCode).toBe(DRAIN_EXIT[signal]);
    },
  );

  const cases = Object.entries(SIGNAL_TABLE).flatMap(([state, row]) =>
    Object.entries(row).map(([signal, outcome]) => [state, signal as keyof typeof row, outcome] as const),
  );
  test.each(cases)('%s + %s → %s', async (state, signal, outcome) => {
    // The shortest way there the model knows (boot is where every path starts).
    const path = pathsToExit('main').find((p) => state === 'boot' || stepsOf(p).some((s) => s.after === state))!;
    const steps = stepsOf(path);
    const model = controllableLifecycle({ root: '/model', env: {}, role: 'main' });
    model.actor.start();
    const reached = state === 'boot' ? 0 : steps.findIndex((s) => s.after === state) + 1;
    for (const step of steps.slice(0, reached)) await model.send(step.event);
    expect(dotted(model.actor.getSnapshot().value)).toBe(state);
    const shortened = model.callsOf('shortenDrain').length;
    const event: ModelEvent = signal === 'CRASH' ? { type: 'CRASH', error: new Error('boom') } : { type: `signal.${signal}` };
    if (state === 'exited') {
      // The process is on its way out: the listener is gone, nothing is delivered, exit stays once.
      expect(model.listening()).toBe(false);
      expect(model.callsOf('exitProcess')).toHaveLength(1);
      return;
    }
    await model.send(event);
    const after = model.actor.getSnapshot();
    const [target, code] = outcome.split(' ');
    expect(dotted(after.value)).toBe(target);
    if (code) expect(after.context.exitCode).toBe(Number(code));
    if (target === 'draining') expect(after.context.drainSignal).toBe(state === 'draining' ? steps.find((s) => s.after === 'draining')!.event.type.replace('signal.', '') : signal);
    // Only a signal with a deadline of its own hurries a drain.
    if (state === 'draining') expect(model.callsOf('shortenDrain').length - shortened).toBe(signal === 'SIGINT' ? 1 : 0);
    for (const key of model.taken) taken.add(key);
  });
});

test('transition coverage: every transition the machine declares was taken', () => {
  const declared = declaredTransitions(lifecycleMachine).map((t) => t.key);
  expect(new Set(declared).size, 'transition keys are unique').toBe(declared.length);
  const missing = declared.filter((key) => !taken.has(key));
  const percent = ((100 * (declared.length - missing.length)) / declared.length).toFixed(1);
  console.log(`transition coverage: ${declared.length - missing.length}/${declared.length} (${percent} %) over ${replayed.length} paths`);
  expect(missing, `transitions never taken:\n${missing.join('\n')}`).toEqual([]);
});
