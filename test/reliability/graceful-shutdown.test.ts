/**
 * The graceful-shutdown scenarios the trusted libraries test (http-terminator, stoppable, terminus,
 * lightship, close-with-grace), against the real CLI in both modes.
 */
import http from 'node:http';
import type net from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { createActor, fromCallback, fromPromise } from 'xstate';
import { lifecycleMachine } from '../../machines/lifecycle.js';
import { connect, request, sleep } from '../helpers/http.js';
import { makeServiceRoot, settled, trackServices, workersOnline } from '../helpers/service.js';
import { closedAt, rawGet } from './raw-http.js';
import { FIXTURE_ENTRY, fixtureRoot, fixtureServiceJson, MODES } from '../helpers/fixture.js';
import { processesWithEnv } from '../../support/proc.js';

const services = trackServices();
afterEach(() => services.cleanup());

/**
 * Bounds that tell "did not wait" apart from the waits a broken drain would do: keepAliveTimeout (5 s)
 * and the SIGTERM deadline (30 s). How prompt the exit and the readiness flip are is measured by the
 * benchmark (`npm run bench`, BENCHMARKS.md), not asserted here: a busy machine decides those.
 */
const PROMPT_EXIT_MS = 2_000;
const FLIP_TRIALS = 3;
/** Long enough that probes reach every process before the listener closes, even on a busy machine. */
const FLIP_DELAY_MS = 1_500;

async function boot(workers: number, env: Record<string, string> = {}) {
  const svc = services.start(fixtureRoot(workers), { env });
  const { port } = await svc.up();
  if (workers > 1) await workersOnline(svc, workers);
  return { svc, port };
}

describe.each(MODES)('graceful shutdown, $mode mode', ({ workers }) => {
  test('no connections: SIGTERM exits at once with 15', async () => {
    const { svc } = await boot(workers);
    const t0 = performance.now();
    svc.kill('SIGTERM');
    const exit = await svc.exited;
    expect(exit.code).toBe(15);
    expect(exit.at - t0).toBeLessThan(PROMPT_EXIT_MS);
  });

  test('an idle keep-alive socket is closed by the drain, not left to keepAliveTimeout', async () => {
    const { svc, port } = await boot(workers);
    const socket = await connect(port);
    const reply = await rawGet(socket, '/hello');
    expect(reply.headers.connection).toBe('keep-alive');
    const closed = closedAt(socket);
    await sleep(300); // idle for longer than the drain's grace for recently used sockets
    const t0 = performance.now();
    svc.kill('SIGTERM');
    expect((await closed) - t0).toBeLessThan(PROMPT_EXIT_MS);
    const exit = await svc.exited;
    expect(exit.code).toBe(15);
    expect(exit.at - t0).toBeLessThan(PROMPT_EXIT_MS);
  });

  test('an in-flight request completes with Connection: close, and the process exits as soon as it is done', async () => {
    const { svc, port } = await boot(workers);
    const agent = new http.Agent({ keepAlive: true });
    const before = await request(port, '/hello', { agent });
    expect(before.headers.connection).toBe('keep-alive'); // not draining: no Connection: close
    const inFlight = request(port, '/slow?ms=700', { agent });
    await svc.waitForLine((l) => l.type === 'slow-start'); // on the server now
    const t0 = performance.now();
    svc.kill('SIGTERM');
    const reply = await inFlight;
    const exit = await svc.exited;
    agent.destroy();
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body).waitedMs).toBe(700);
    expect(reply.headers.connection).toBe('close');
    expect(exit.code).toBe(15);
    // Exit follows the last response, nowhere near the 30 s deadline.
    expect(exit.at - reply.at).toBeLessThan(PROMPT_EXIT_MS);
    expect(exit.at - t0).toBeLessThan(700 + PROMPT_EXIT_MS);
  });

  test('during a shutdown delay a reused keep-alive socket is still answered, with Connection: close', async () => {
    const { svc, port } = await boot(workers, { SHUTDOWN_DELAY_MS: '1500' });
    const reused = await connect(port);
    expect((await rawGet(reused, '/hello')).headers.connection).toBe('keep-alive');
    svc.kill('SIGTERM');
    await svc.waitForLine((l) => l.type === 'draining');
    await sleep(100);
    const again = await rawGet(reused, '/hello');
    expect(again.status).toBe(200);
    expect(again.headers.connection).toBe('close');
    await closedAt(reused);
    expect((await svc.exited).code).toBe(15);
  });

  test('with a shutdown delay, readiness flips for good: once every serving process answered 503, no /healthcheck gets 200', { timeout: 60_000 }, async () => {
    for (let trial = 0; trial < FLIP_TRIALS; trial++) {
      const { svc, port } = await boot(workers, { SHUTDOWN_DELAY_MS: String(FLIP_DELAY_MS) });
      // One keep-alive probe per serving process (cluster: new connections go round-robin to the workers).
      const probes: net.Socket[] = [];
      const probed = new Set<number>();
      for (let i = 0; i < 10 && probed.size < workers; i++) {
        const socket = await connect(port);
        const pid = JSON.parse((await rawGet(socket, '/hello')).body).pid as number;
        if (probed.has(pid)) socket.destroy();
        else (probed.add(pid), probes.push(socket));
      }
      expect(probes).toHaveLength(workers);
      svc.kill('SIGTERM');
      // Meanwhile, /healthcheck on a new connection each time, back to back, as a load balancer probes:
      // until the listener refuses (the delay is over) or enough probes came after every flip.
      let allFlippedAt = Infinity;
      const fresh: Array<{ sent: number; status: number }> = [];
      const freshProbes = (async () => {
        for (let i = 0; i < 2_000; i++) {
          const sent = performance.now();
          const reply = await request(port, '/healthcheck').catch(() => undefined);
          if (!reply) break;
          fresh.push({ sent, status: reply.status });
          if (fresh.filter((f) => f.sent > allFlippedAt).length >= 20) break;
        }
      })();
      // Each keep-alive probe until its process answers 503 (with Connection: close, so the socket ends there).
      await Promise.all(
        probes.map(async (probe) => {
          const statuses: number[] = [];
          for (let i = 0; i < 2_000 && !statuses.includes(503); i++) {
            const reply = await rawGet(probe, '/healthcheck');
            statuses.push(reply.status);
            // Draining sends every response with Connection: close: a 200 that says so came after the flip should have.
            expect(reply.headers.connection, `a ${reply.status} from a draining process`).toBe(reply.status === 503 ? 'close' : 'keep-alive');
          }
          expect(statuses.at(-1), 'the process flipped').toBe(503);
          expect(statuses.slice(0, -1).filter((status) => status !== 200), 'only 200s before the flip').toEqual([]);
        }),
      );
      allFlippedAt = performance.now();
      await freshProbes;
      for (const probe of probes) probe.destroy();
      const after = fresh.filter((f) => f.sent > allFlippedAt);
      // Within the delay the listener still accepts: probes sent after every flip were answered, all 503.
      expect(after.length, 'probes answered after every process flipped').toBeGreaterThan(0);
      expect(after.filter((f) => f.status !== 503)).toEqual([]);
      // One process: its answers read 200… then 503…, never 200 again.
      if (workers === 1) {
        const statuses = fresh.map((f) => f.status);
        expect(statuses.slice(statuses.indexOf(503)).filter((status) => status !== 503)).toEqual([]);
      }
      expect((await svc.exited).code).toBe(15);
    }
  });

  test('a hanging request is destroyed at the deadline (SIGINT: 1 s) and the process exits 2', async () => {
    const { svc, port } = await boot(workers);
    const hanging = request(port, '/slow?ms=20000').then(
      () => 'answered',
      () => performance.now(),
    );
    await svc.waitForLine((l) => l.type === 'slow-start'); // on the server now
    const t0 = performance.now();
    svc.kill('SIGINT');
    const destroyedAt = await hanging;
    const exit = await svc.exited;
    expect(typeof destroyedAt).toBe('number');
    expect((destroyedAt as number) - t0).toBeGreaterThanOrEqual(900);
    expect(exit.code).toBe(2);
    expect(exit.at - t0).toBeLessThan(1_000 + PROMPT_EXIT_MS);
  });

  test('SIGINT after SIGTERM shortens the 30 s deadline to 1 s', async () => {
    const { svc, port } = await boot(workers);
    const hanging = request(port, '/slow?ms=20000').catch(() => 'destroyed');
    await svc.waitForLine((l) => l.type === 'slow-start'); // on the server now
    svc.kill('SIGTERM');
    await sleep(200);
    const t0 = performance.now();
    svc.kill('SIGINT');
    const exit = await svc.exited;
    expect(await hanging).toBe('destroyed');
    expect(exit.code).toBe(15);
    expect(exit.at - t0).toBeLessThan(1_000 + PROMPT_EXIT_MS);
  });

  test('a signal while the entry module is still loading exits with the signal code and never serves', async () => {
    const marker = `slow-boot-${workers}-${process.pid}-${Date.now()}`;
    const root = makeServiceRoot({
      serviceJson: fixtureServiceJson(workers),
      entry: `await new Promise((r) => setTimeout(r, 3000));\n${FIXTURE_ENTRY}`,
    });
    const svc = services.start(root, { env: { RELIABILITY_MARKER: marker } });
    await svc.waitForLine((l) => l.type === 'lifecycle' && /starting/.test(String(l.to)));
    // Workers (if any) are forked and importing the entry, which takes 3 s.
    await sleep(500);
    svc.kill('SIGTERM');
    const exit = await settled(svc);
    expect(exit.code).toBe(15);
    expect(svc.lines.some((l) => l.type === 'signal-before-serving')).toBe(true);
    expect(svc.lines.some((l) => l.type === 'up')).toBe(false);
    // No worker outlives its primary.
    for (let i = 0; i < 50 && processesWithEnv('RELIABILITY_MARKER', marker).length > 0; i++) await sleep(100);
    expect(processesWithEnv('RELIABILITY_MARKER', marker)).toEqual([]);
  });
});

describe('a signal before listening, at the statechart level', () => {
  // Typed as the machine's own actors (`as never`): these stand-ins only ever hang or record a call.
  const never = fromPromise(() => new Promise<never>(() => {})) as never;
  const config = { root: '/nowhere', serviceJson: fixtureServiceJson(1), runtime: {} } as never;

  test.each([
    { state: 'boot', signal: 'SIGTERM', code: 15 },
    { state: 'boot', signal: 'SIGINT', code: 2 },
    { state: 'resolveWorkers', signal: 'SIGTERM', code: 15 },
    { state: 'resolveWorkers', signal: 'SIGINT', code: 2 },
  ] as const)('$signal during $state exits with $code and starts nothing', ({ state, signal, code }) => {
    const started: string[] = [];
    const exits: Array<number | undefined> = [];
    const machine = lifecycleMachine.provide({
      actors: {
        processEvents: fromCallback(() => {}),
        loadConfig: state === 'boot' ? never : (fromPromise(async () => config) as never),
        resolveWorkers: never,
        startInline: fromPromise(async () => void started.push('startInline')) as never,
        startCluster: fromPromise(async () => void started.push('startCluster')) as never,
      },
      actions: {
        exitProcess: (_, params) => void exits.push(params.code),
        logSignalBeforeServing: () => {},
      },
    });
    const actor = createActor(machine, { input: { root: '/nowhere' } }).start();
    return (async () => {
      await sleep(10);
      expect(actor.getSnapshot().value).toBe(state);
      actor.send({ type: `signal.${signal}` });
      expect(actor.getSnapshot().value).toBe('exited');
      expect(actor.getSnapshot().status).toBe('done');
      expect(exits).toEqual([code]);
      expect(started).toEqual([]);
    })();
  });
});
