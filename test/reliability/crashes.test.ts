/**
 * Faults inside the service: an uncaught exception in a route, an unhandled rejection, and an
 * exception while draining, in both modes.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { request, sleep } from '../helpers/http.js';
import { isRunning, processesWithEnv } from '../../support/proc.js';
import { isWorkerOnline, settled, trackServices, workersOnline, type LogLine } from '../helpers/service.js';
import { fixtureRoot } from '../helpers/fixture.js';

const services = trackServices();
afterEach(() => services.cleanup());

/** Far below the 30 s drain deadline: an exit that took this long waited for nothing. */
const PROMPT_EXIT_MS = 3_000;

function boot(workers: number) {
  const marker = `crash-${workers}-${process.pid}-${Date.now()}-${Math.random()}`;
  const svc = services.start(fixtureRoot(workers), { env: { RELIABILITY_MARKER: marker } });
  return { svc, marker };
}

const mentions = (text: string) => (l: LogLine) => JSON.stringify(l).includes(text);

async function waitGone(marker: string) {
  for (let i = 0; i < 50 && processesWithEnv('RELIABILITY_MARKER', marker).length > 0; i++) await sleep(100);
  return processesWithEnv('RELIABILITY_MARKER', marker);
}

describe('single-process mode', () => {
  test('an uncaught exception in a route: exit 70, a crash line naming the error, no restart', async () => {
    const { svc, marker } = boot(1);
    const { port } = await svc.up();
    const tag = `t${Date.now()}`;
    await request(port, `/boom?tag=${tag}`).catch(() => undefined);
    const exit = await settled(svc);
    expect(exit.code).toBe(70);
    const crash = svc.lines.find((l) => l.type === 'crash');
    expect(crash?.level).toBe('error');
    expect(String(crash?.error)).toContain(`route-boom-${tag}`);
    expect(svc.lines.filter((l) => l.type === 'up')).toHaveLength(1);
    expect(await waitGone(marker)).toEqual([]);
  });

  test('an exception thrown while draining still ends in exit, without waiting for the deadline', async () => {
    const { svc, marker } = boot(1);
    const { port } = await svc.up();
    const tag = `t${Date.now()}`;
    void request(port, `/slowBoom?ms=500&tag=${tag}`).catch(() => undefined);
    await sleep(150);
    const t0 = performance.now();
    svc.kill('SIGTERM');
    await svc.waitForLine((l) => l.type === 'draining');
    const exit = await settled(svc);
    expect(exit.code).toBe(70);
    expect(exit.at - t0).toBeLessThan(PROMPT_EXIT_MS);
    expect(svc.lines.some((l) => l.type === 'crash' && String(l.error).includes(`drain-boom-${tag}`))).toBe(true);
    expect(await waitGone(marker)).toEqual([]);
  });
});

describe('cluster mode (workers: 2)', () => {
  test('an uncaught exception in a route: that worker is respawned, the other keeps serving', async () => {
    const { svc } = boot(2);
    const { port } = await svc.up();
    await workersOnline(svc, 2, 20_000);
    const tag = `t${Date.now()}`;
    const victim = JSON.parse((await request(port, `/boom?tag=${tag}`)).body).pid as number;
    await svc.waitForLine(mentions(`route-boom-${tag}`));
    // A connection the primary hands to the worker between its crash and the primary seeing it exit is
    // lost with it (node:cluster's round-robin; the spec's known limit), and on a busy machine that gap
    // is long: wait for the primary's own line about the exit first.
    const exitLine = await svc.waitForLine((l) => /^worker-(exit|respawn)$/.test(String(l.type)) && l.workerPid === victim);
    expect(exitLine.code).toBe(70);
    // While the crashed worker is down and being replaced, every request is still answered.
    const during = [];
    for (let i = 0; i < 20; i++) {
      during.push(await request(port, '/hello'));
      await sleep(15);
    }
    expect(during.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(during.some((r) => JSON.parse(r.body).pid === victim)).toBe(false);
    await workersOnline(svc, 3, 20_000);
    expect(isRunning(victim)).toBe(false);
    expect(isRunning(svc.child.pid!)).toBe(true);
    const pids = new Set<number>();
    for (let i = 0; i < 10; i++) pids.add(JSON.parse((await request(port, '/hello')).body).pid);
    expect(pids.has(victim)).toBe(false);
    svc.kill('SIGTERM');
    expect((await svc.exited).code).toBe(15);
  });

  test('an exception thrown while draining still ends in exit, without waiting for the deadline', async () => {
    const { svc, marker } = boot(2);
    const { port } = await svc.up();
    await workersOnline(svc, 2, 20_000);
    const tag = `t${Date.now()}`;
    void request(port, `/slowBoom?ms=500&tag=${tag}`).catch(() => undefined);
    await sleep(150);
    const t0 = performance.now();
    svc.kill('SIGTERM');
    const exit = await settled(svc);
    expect(exit.code).toBe(15);
    expect(exit.at - t0).toBeLessThan(PROMPT_EXIT_MS);
    expect(svc.lines.some((l) => l.type === 'crash' && String(l.error).includes(`drain-boom-${tag}`))).toBe(true);
    // Draining: the crashed worker is not replaced.
    expect(svc.lines.filter(isWorkerOnline)).toHaveLength(2);
    expect(await waitGone(marker)).toEqual([]);
  });
});

describe.each([1, 2])('workers: %i', (workers) => {
  test('an unhandled rejection is logged and serving continues in the same process', async () => {
    const { svc } = boot(workers);
    const { port } = await svc.up();
    if (workers > 1) await workersOnline(svc, workers, 20_000);
    const tag = `t${Date.now()}`;
    const pid = JSON.parse((await request(port, `/reject?tag=${tag}`)).body).pid as number;
    const line = await svc.waitForLine(mentions(`route-rejection-${tag}`));
    expect(line.type).toBe('unhandled-rejection');
    expect(line.level).toBe('warn');
    for (let i = 0; i < 5; i++) expect((await request(port, '/hello')).status).toBe(200);
    expect(isRunning(pid)).toBe(true);
    expect(svc.lines.filter(isWorkerOnline)).toHaveLength(workers > 1 ? workers : 0);
    svc.kill('SIGTERM');
    expect((await svc.exited).code).toBe(15);
  });
});
