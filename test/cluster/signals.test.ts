import { afterEach, expect, test } from 'vitest';
import { request, sleep } from '../helpers/http.js';
import { childPids, isRunning } from '../../support/proc.js';
import { fixtureRoot } from '../helpers/fixture.js';
import { trackServices, type RunningService } from '../helpers/service.js';
import { linesOf, startCluster } from './cluster-service.js';

const services = trackServices();
afterEach(() => services.cleanup());

/**
 * Far above a prompt exit on a busy machine, far below what a drain that waits would take (the
 * keep-alive timeout, the 10 s deadline). How prompt it is, is a benchmark figure (BENCHMARKS.md).
 */
const PROMPT_EXIT_MS = 2_000;

/** One `/slow` request per worker, resolved once each worker has logged that its request arrived. */
async function slowRequestOnEachWorker(svc: RunningService, port: number, workerPids: number[], ms: number) {
  const replies = workerPids.map(() => request(port, `/slow?ms=${ms}`));
  await svc.waitForLine(() => new Set(linesOf(svc, 'slow-start').map((l) => l.pid)).size === workerPids.length, 5_000);
  expect(new Set(linesOf(svc, 'slow-start').map((l) => l.pid))).toEqual(new Set(workerPids));
  return replies;
}

test('SIGTERM with a 1 s request in flight on each worker: both answer 200, the primary exits 15 after the last', async () => {
  const { svc, port, workerPids } = await startCluster(services, { workers: 2 });
  const replies = await slowRequestOnEachWorker(svc, port, workerPids, 1_000);
  const signalledAt = performance.now();
  svc.kill('SIGTERM');

  const answered = await Promise.all(replies);
  const { code, at } = await svc.exited;
  expect(code).toBe(15);
  for (const reply of answered) {
    expect(reply.status).toBe(200);
    expect(reply.headers.connection).toBe('close');
    expect(reply.at).toBeGreaterThan(signalledAt);
  }
  expect(new Set(answered.map((r) => JSON.parse(r.body).pid))).toEqual(new Set(workerPids));
  const lastResponse = Math.max(...answered.map((r) => r.at));
  console.log(`SIGTERM drain: signal -> last response ${Math.round(lastResponse - signalledAt)} ms, last response -> primary exit ${Math.round(at - lastResponse)} ms`);
  expect(at).toBeGreaterThanOrEqual(lastResponse);
  expect(at - lastResponse).toBeLessThan(PROMPT_EXIT_MS);

  // Each worker drained through its own statechart and exited 15; none was respawned.
  for (const pid of workerPids) {
    expect(linesOf(svc, 'draining', pid)).toEqual([expect.objectContaining({ signal: 'SIGTERM' })]);
    expect(linesOf(svc, 'exit', pid)).toEqual([expect.objectContaining({ code: 15 })]);
  }
  expect(linesOf(svc, 'worker-exit').map((l) => l.code)).toEqual([15, 15]);
  expect(linesOf(svc, 'worker-respawn')).toEqual([]);
});

test('Ctrl-C (SIGINT to the primary and every worker at once) mid-request: workers drain, both answer 200, exit 2', async () => {
  const { svc, port, workerPids } = await startCluster(services, { workers: 2 });
  const replies = await slowRequestOnEachWorker(svc, port, workerPids, 400);
  const signalledAt = performance.now();
  // What a terminal does on Ctrl-C: the whole foreground process group gets SIGINT.
  for (const pid of [svc.child.pid!, ...workerPids]) process.kill(pid, 'SIGINT');

  const answered = await Promise.all(replies);
  const { code, at } = await svc.exited;
  expect(answered.map((r) => r.status)).toEqual([200, 200]);
  for (const reply of answered) expect(reply.at).toBeGreaterThan(signalledAt);
  expect(code).toBe(2);
  console.log(`SIGINT drain: signal -> primary exit ${Math.round(at - signalledAt)} ms`);
  for (const pid of workerPids) expect(linesOf(svc, 'exit', pid)).toEqual([expect.objectContaining({ code: 2 })]);
  expect(linesOf(svc, 'worker-respawn')).toEqual([]);
});

test('a worker that alone gets SIGINT drains its request, exits 2 and is replaced: the primary did not ask', async () => {
  const { svc, port, workerPids } = await startCluster(services, { workers: 2 });
  const [target] = workerPids as [number, number];
  const replies = await slowRequestOnEachWorker(svc, port, workerPids, 500);
  process.kill(target, 'SIGINT');
  expect((await Promise.all(replies)).map((r) => r.status)).toEqual([200, 200]);
  const respawn = await svc.waitForLine((l) => l.type === 'worker-respawn');
  expect(respawn).toMatchObject({ workerPid: target, code: 2, signal: null });
  await svc.waitForLine((l) => l.type === 'worker-online' && !workerPids.includes(l.workerPid as number));
  expect((await request(port, '/hello')).status).toBe(200);
});

test('SIGKILL the primary: no worker process is left after 2 s', async () => {
  const { svc, workerPids } = await startCluster(services, { workers: 2 });
  expect(workerPids.every(isRunning)).toBe(true);
  svc.kill('SIGKILL');
  const killedAt = performance.now();
  await svc.exited;
  while (workerPids.some(isRunning) && performance.now() - killedAt < 2_000) await sleep(10);
  console.log(`primary SIGKILLed -> workers gone: ${Math.round(performance.now() - killedAt)} ms`);
  expect(workerPids.filter(isRunning)).toEqual([]);
});

test('SIGINT during a SIGTERM drain brings the deadline to 1 s: a stuck worker is SIGKILLed then, exit 15', async () => {
  const { svc, port } = await startCluster(services, { workers: 2 });
  const stuck = request(port, '/stuck?ms=6000').catch((err: Error) => err);
  const blocked = (await svc.waitForLine((l) => l.type === 'stuck-start', 5_000)).pid;
  svc.kill('SIGTERM');
  await svc.waitForLine((l) => l.type === 'draining' && l.pid === svc.child.pid);
  const interruptedAt = performance.now();
  svc.kill('SIGINT');
  const { code, at } = await svc.exited;
  expect(code).toBe(15);
  expect(linesOf(svc, 'worker-exit').find((l) => l.workerPid === blocked)).toMatchObject({ signal: 'SIGKILL', code: null });
  const killedAfter = at - interruptedAt;
  console.log(`SIGTERM then SIGINT, stuck worker: SIGINT -> primary exit ${Math.round(killedAfter)} ms`);
  // Not before the 1 s deadline, and long before the 6 s block or the 30 s SIGTERM deadline would end.
  expect(killedAfter).toBeGreaterThanOrEqual(950);
  expect(killedAfter).toBeLessThan(5_000);
  expect(await stuck).toBeInstanceOf(Error);
});

test('SIGTERM while a respawn is pending: no worker is forked during the drain', async () => {
  const respawnDelayMs = 3_000;
  const { svc, port, workerPids } = await startCluster(services, { workers: 2, env: { LIFECYCLE_RESPAWN_BASE_MS: String(respawnDelayMs) } });
  const [victim, survivor] = workerPids as [number, number];
  process.kill(victim, 'SIGKILL');
  const respawn = await svc.waitForLine((l) => l.type === 'worker-respawn');
  expect(respawn.delayMs).toBe(respawnDelayMs);
  // The drain outlasts the pending respawn: a respawn that was not cancelled would fork during it.
  const reply = request(port, `/slow?ms=${respawnDelayMs + 500}`);
  await svc.waitForLine((l) => l.type === 'slow-start' && l.pid === survivor);
  svc.kill('SIGTERM');
  // By the primary's own clock, the drain began while the respawn was still pending (3 s: room for a busy machine).
  const draining = await svc.waitForLine((l) => l.type === 'draining' && l.pid === svc.child.pid);
  expect(draining.t as number).toBeLessThan((respawn.t as number) + respawnDelayMs);
  expect((await reply).status).toBe(200);
  expect((await svc.exited).code).toBe(15);
  const pids = new Set(svc.lines.map((l) => l.pid));
  expect(pids).toEqual(new Set([svc.child.pid, victim, survivor]));
  expect(linesOf(svc, 'worker-exit')).toEqual([expect.objectContaining({ workerPid: survivor, code: 15 })]);
});

test('SIGTERM while the workers are still booting: exit 15 without serving, no worker left', async () => {
  const root = fixtureRoot(2);
  const svc = services.start(root);
  await svc.waitForLine((l) => l.type === 'lifecycle' && l.to === 'forkingCluster.starting' && l.pid === svc.child.pid);
  for (let i = 0; i < 200 && childPids(svc.child.pid!).length < 2; i++) await sleep(5);
  const booting = childPids(svc.child.pid!);
  expect(booting).toHaveLength(2);
  svc.kill('SIGTERM');
  expect((await svc.exited).code).toBe(15);
  expect(linesOf(svc, 'up')).toEqual([]);
  expect(linesOf(svc, 'signal-before-serving', svc.child.pid)).toHaveLength(1);
  const killedAt = performance.now();
  while (booting.some(isRunning) && performance.now() - killedAt < 2_000) await sleep(10);
  expect(booting.filter(isRunning)).toEqual([]);
});
