/**
 * System-level replay of the model's paths: each path runs against a real child process running
 * the CLI. Each model event becomes a real action (a signal, letting the entry module finish
 * loading, taking the port, an in-flight request completing, killing workers) and each state a
 * real observation (transition line of the process, listening or not, /healthcheck, child
 * processes, an in-flight request still pending, the exit code, no worker left behind).
 */
import { writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'vitest';
import { request, sleep } from '../helpers/http.js';
import { holdPort, type HeldPort } from '../../support/ports.js';
import { childPids, isRunning, listeningSockets } from '../../support/proc.js';
import { makeServiceRoot, type RunningService, type trackServices } from '../helpers/service.js';
import { expectedExitCode, stepsOf, type ModelPath, type ModelStep } from './model.js';
import { reusePortUnsupported } from '../../src/config/cluster-transport.js';

/** `reusePort`: cluster mode with CLUSTER_REUSEPORT=1, through `forkingCluster.startingReusePort`. */
export type Mode = 'single' | 'cluster' | 'reusePort';

/** Holds the service in `starting` until ./go exists ("fail" makes the import throw); /hold waits for ./release. */
const ENTRY = `
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
const here = (name) => new URL(name, import.meta.url);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
while (!existsSync(here('go'))) await sleep(10);
if (readFileSync(here('go'), 'utf8') === 'fail') throw new Error('entry failed on purpose');
export default {
  routes: {
    hold: async (ctx) => {
      writeFileSync(here('held'), String(process.pid));
      while (!existsSync(here('release'))) await sleep(10);
      ctx.body = 'released';
    },
  },
};
`;
/** An uncaught exception on demand, in whatever state the process is: `kill -USR2`. */
const CRASH_HOOK = `process.on('SIGUSR2', () => setImmediate(() => { throw new Error('crash requested by the model test'); }));\n`;

/**
 * Why a path cannot be replayed against a process, or undefined if it can. These moves exist only
 * at machine level: the state lasts one file read or one microtask, or the actor cannot fail so.
 */
export function notReplayable(path: ModelPath): string | undefined {
  for (const step of stepsOf(path)) {
    const outcome = step.event.type.startsWith('xstate.');
    if (step.before === 'boot' && !outcome) return `${step.event.type} during boot: boot lasts one read of service.json`;
    if (step.before === 'resolveWorkers' && !outcome) return `${step.event.type} during resolveWorkers: it lasts one microtask`;
    if (step.event.type === 'xstate.error.actor.resolveWorkers') return 'resolveWorkers cannot fail: a bad "workers" falls back to the CPU count';
    if (step.event.type === 'xstate.error.actor.runDrain') return 'the drain cannot fail: it resolves at its deadline at the latest';
  }
  return undefined;
}

export function modeOf(path: ModelPath): Mode[] {
  const states = stepsOf(path).map((s) => s.after);
  if (states.some((s) => s.startsWith('servingInline'))) return ['single'];
  if (states.includes('forkingCluster.startingReusePort')) return ['reusePort'];
  if (states.some((s) => s.startsWith('forkingCluster'))) return ['cluster'];
  return ['single', 'cluster'];
}

/**
 * Why a path cannot be replayed against a process on this Node and platform, though it can on
 * others: without reusePort, CLUSTER_REUSEPORT=1 falls back to `forkingCluster.starting`
 * (test/cluster/reuseport.test.ts checks that fallback on such a Node).
 */
export function notReplayableHere(path: ModelPath): string | undefined {
  const why = modeOf(path).includes('reusePort') ? reusePortUnsupported() : undefined;
  return why && `forkingCluster.startingReusePort on this Node: ${why}, so CLUSTER_REUSEPORT=1 falls back`;
}

interface World {
  root: string;
  svc: RunningService;
  pid: number;
  port?: number;
  workers: number[];
  held?: Promise<unknown>;
  blocker?: HeldPort;
}

function setUp(mode: Mode, path: ModelPath, services: ReturnType<typeof trackServices>, blocker?: HeldPort): World {
  const events = stepsOf(path).map((s) => s.event.type);
  const serviceJson = events.includes('xstate.error.actor.loadConfig')
    ? { workers: mode === 'single' ? 1 : 2, timeout: 'soon' }
    : { workers: mode === 'single' ? 1 : 2, timeout: 10, routes: { hold: { path: '/hold', public: true } } };
  const reusePort = mode === 'reusePort' ? { CLUSTER_REUSEPORT: '1' } : {};
  const root = makeServiceRoot({ serviceJson, entry: ENTRY, extra: { 'crash-hook.mjs': CRASH_HOOK } });
  const svc = services.start(root, {
    nodeArgs: ['--import', pathToFileURL(join(root, 'crash-hook.mjs')).href],
    env: {
      PORT: blocker ? String(blocker.port) : '0',
      // Killed workers come back fast, so the crash-loop limit is reached in well under a second.
      LIFECYCLE_RESPAWN_BASE_MS: '10',
      LIFECYCLE_RESPAWN_MAX_MS: '10',
      ...reusePort,
    },
  });
  return { root, svc, pid: svc.child.pid!, workers: [], blocker };
}

const lifecycleLine = (w: World, from: string | null, to: string) =>
  w.svc.waitForLine((l) => l.type === 'lifecycle' && l.pid === w.pid && l.from === from && l.to === to);

async function act(w: World, step: ModelStep) {
  const file = (name: string, text = '') => writeFileSync(join(w.root, name), text);
  switch (step.event.type) {
    case 'xstate.done.actor.startInline':
    case 'xstate.done.actor.startCluster':
    case 'xstate.error.actor.startInline': // the port is already taken
      return file('go');
    case 'xstate.error.actor.startCluster':
      return file('go', 'fail');
    case 'xstate.done.actor.runDrain':
      return file('release');
    case 'CRASH':
      return w.svc.kill('SIGUSR2');
    case 'signal.SIGTERM':
    case 'signal.SIGINT':
      if (step.after === 'draining' && step.before !== 'draining') {
        // A request in flight keeps the drain open until the model says it completes.
        w.held = request(w.port!, '/hold', { timeoutMs: 30_000 }).catch((err: Error) => err);
        await expect.poll(() => existsSync(join(w.root, 'held'))).toBe(true);
      }
      return w.svc.kill(step.event.type.replace('signal.', '') as NodeJS.Signals);
    case 'CLUSTER_GAVE_UP':
      // Kill every worker, again and again, until the primary gives up on them.
      for (let round = 0; round < 40 && isRunning(w.pid) && !w.svc.lines.some((l) => l.type === 'lifecycle' && l.pid === w.pid && l.to === 'exited'); round++) {
        for (const pid of childPids(w.pid)) {
          w.workers.push(pid);
          process.kill(pid, 'SIGKILL');
        }
        await sleep(40);
      }
      return;
    default:
      return; // done:loadConfig, error:loadConfig, done:resolveWorkers follow from the service root itself
  }
}

async function observe(w: World, mode: Mode, state: string) {
  if (state === 'servingInline.starting' || state.startsWith('forkingCluster.starting')) {
    // Once the workers are forked: a reusePort primary checks the port is free just before.
    if (mode !== 'single') await expect.poll(() => childPids(w.pid).length).toBe(2);
    expect(listeningSockets(w.pid), 'not listening yet').toEqual([]);
  }
  if (state === 'servingInline.serving' || state === 'forkingCluster.serving') {
    w.port ??= (await w.svc.up()).port;
    expect((await request(w.port, '/healthcheck')).status).toBe(200);
    if (mode === 'single') expect(childPids(w.pid), 'single-process mode forks nothing').toEqual([]);
    else {
      await expect.poll(() => childPids(w.pid).length).toBe(2);
      // Each worker runs the same statechart in the worker role: its own line into listening.
      const workersListening = () => w.svc.lines.filter((l) => l.type === 'lifecycle' && l.pid !== w.pid && l.to === 'servingInline.serving').length;
      await expect.poll(workersListening).toBeGreaterThanOrEqual(2);
      // reusePort: each worker holds a socket on the port, the primary none; classic: the other way round.
      const port = w.port;
      const holders = (pid: number) => listeningSockets(pid).filter((s) => s.port === port).length;
      expect(holders(w.pid), 'listening sockets of the primary').toBe(mode === 'reusePort' ? 0 : 1);
      for (const worker of childPids(w.pid)) expect(holders(worker), 'listening sockets of a worker').toBe(mode === 'reusePort' ? 1 : 0);
    }
    w.workers.push(...childPids(w.pid));
  }
  if (state === 'draining') {
    expect(isRunning(w.pid)).toBe(true);
    const settled = await Promise.race([w.held!.then(() => true), sleep(20).then(() => false)]);
    expect(settled, 'the in-flight request keeps the drain open').toBe(false);
  }
}

export async function replayAgainstProcess(mode: Mode, path: ModelPath, services: ReturnType<typeof trackServices>) {
  const steps = stepsOf(path);
  let blocker: HeldPort | undefined;
  if (steps.some((s) => s.event.type === 'xstate.error.actor.startInline')) blocker = await holdPort('127.0.0.1');
  try {
    const w = setUp(mode, path, services, blocker);
    await lifecycleLine(w, null, 'boot');
    for (const step of steps) {
      await act(w, step);
      if (step.after !== step.before) await lifecycleLine(w, step.before, step.after);
      await observe(w, mode, step.after);
    }
    const exit = await w.svc.exited;
    expect(exit.code, w.svc.output()).toBe(expectedExitCode(path));
    if (w.held && steps.at(-1)!.event.type === 'xstate.done.actor.runDrain') expect(((await w.held) as { body?: string }).body).toBe('released');
    // No worker outlives the primary.
    for (const pid of w.workers) await expect.poll(() => isRunning(pid), { timeout: 5_000 }).toBe(false);
  } finally {
    await blocker?.close();
  }
}
