import { afterEach, expect, test } from 'vitest';
import { request, upReceiver } from '../helpers/http.js';
import { holdPort } from '../../support/ports.js';
import { childPids } from '../../support/proc.js';
import { isWorkerOnline, makeServiceRoot, trackServices, type LogLine } from '../helpers/service.js';
import { fixtureRoot, fixtureServiceJson } from '../helpers/fixture.js';
import { linesOf, startCluster } from './cluster-service.js';

const services = trackServices();
afterEach(() => services.cleanup());

test('SIGKILL one worker: a replacement listens, every request meanwhile succeeds, "up" is not repeated', async () => {
  const receiver = await upReceiver();
  try {
    const { svc, port, workerPids } = await startCluster(services, { workers: 2, env: { LIFECYCLE_UP_URL: receiver.url } });
    await svc.waitForLine((l) => l.type === 'up-notified');
    const [victim, survivor] = workerPids as [number, number];
    const killedAt = Date.now();
    process.kill(victim, 'SIGKILL');
    // node:cluster's round-robin hands each connection to a worker over IPC; one handed out before
    // the primary has seen the victim's channel close is lost with it (see the spec). From then on:
    const respawn = await svc.waitForLine((l) => l.type === 'worker-respawn');
    console.log(`SIGKILL worker -> primary saw the exit: ${(respawn.t as number) - killedAt} ms`);
    expect(respawn).toMatchObject({ level: 'warn', workerPid: victim, code: null, signal: 'SIGKILL', delayMs: 100 });

    const served: number[] = [];
    for (let i = 0; i < 20; i++) {
      const reply = await request(port, '/hello');
      expect(reply.status).toBe(200);
      served.push(JSON.parse(reply.body).pid);
    }

    const replacement = await svc.waitForLine((l) => isWorkerOnline(l) && !workerPids.includes(l.workerPid as number));
    // How soon (the 1 s) is a benchmark figure (BENCHMARKS.md, "first respawn"); here, the order.
    console.log(`SIGKILL worker -> replacement listening: ${(replacement.t as number) - killedAt} ms (boot ${replacement.bootMs} ms)`);
    expect(svc.lines.indexOf(replacement)).toBeGreaterThan(svc.lines.indexOf(respawn));
    expect(childPids(svc.child.pid!).sort()).toEqual([survivor, replacement.workerPid as number].sort());
    for (const pid of served) expect([survivor, replacement.workerPid]).toContain(pid);

    // The new worker serves too.
    const pids = new Set<number>();
    for (let i = 0; i < 20 && !pids.has(replacement.workerPid as number); i++) pids.add(JSON.parse((await request(port, '/hello')).body).pid);
    expect(pids).toContain(replacement.workerPid);
    expect(linesOf(svc, 'up')).toHaveLength(1);
    expect(linesOf(svc, 'routes')).toHaveLength(1);
    expect(receiver.received.map((r) => r.body)).toEqual(['{"statusTrack":true}']);
  } finally {
    await receiver.close();
  }
});

test('workers that crash on boot every time: per-slot backoff doubles up to its cap, then the primary gives up with 71', async () => {
  const entry = `setImmediate(() => { throw new Error('cannot reach the database'); });\nexport default { routes: {} };\n`;
  const root = makeServiceRoot({ serviceJson: fixtureServiceJson(2, { routes: {} }), entry });
  // Small delays so ten exits take seconds, not the 40 s the defaults need (unit-tested separately).
  const svc = services.start(root, { env: { LIFECYCLE_RESPAWN_BASE_MS: '50', LIFECYCLE_RESPAWN_MAX_MS: '200' } });
  const { code } = await svc.exited;
  expect(code).toBe(71);

  const respawns = linesOf(svc, 'worker-respawn');
  expect(respawns).toHaveLength(9);
  for (const line of respawns) expect(line).toMatchObject({ level: 'warn', code: 70, signal: null, servedMs: 0 });
  expect(respawns.map((l) => l.recentExits)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  for (const slot of [0, 1]) {
    const delays = respawns.filter((l) => l.slot === slot).map((l) => l.delayMs);
    expect(delays.length).toBeGreaterThanOrEqual(3);
    expect(delays).toEqual([50, 100, 200, 200, 200, 200, 200, 200].slice(0, delays.length));
  }
  const gaveUp = linesOf(svc, 'crash-loop');
  expect(gaveUp).toHaveLength(1);
  expect(gaveUp[0]).toMatchObject({ level: 'error', recentExits: 10, windowMs: 60_000, code: 70 });
  expect(gaveUp[0]!.reason).toMatch(/^10 unexpected worker exits within 60000 ms \(last: exit code 70\)/);
  expect((gaveUp[0]!.t as number) - (respawns[0]!.t as number)).toBeLessThan(60_000);
  expect(linesOf(svc, 'exit', svc.child.pid)).toEqual([expect.objectContaining({ code: 71, reason: gaveUp[0]!.reason })]);
  expect(linesOf(svc, 'up')).toEqual([]);
});

test('a worker whose entry module cannot load is a boot failure: the primary exits 78 at once, no respawn', async () => {
  const root = makeServiceRoot({ serviceJson: fixtureServiceJson(2), entry: `throw new Error('syntax is fine, config is not');` });
  const svc = services.start(root);
  expect((await svc.exited).code).toBe(78);
  expect(linesOf(svc, 'worker-respawn')).toEqual([]);
  expect(linesOf(svc, 'boot-failed', svc.child.pid)[0]?.message).toMatch(/could not boot \(exit code 78\)/);
  expect(linesOf(svc, 'boot-failed').some((l) => l.pid !== svc.child.pid && /config is not/.test(String(l.message)))).toBe(true);
});

test('the port is taken: the workers exit 69 and so does the primary, no respawn', async () => {
  const taken = await holdPort();
  try {
    const root = fixtureRoot(2);
    const svc = services.start(root, { env: { PORT: String(taken.port) } });
    expect((await svc.exited).code).toBe(69);
    expect(linesOf(svc, 'worker-respawn')).toEqual([]);
    expect(linesOf(svc, 'boot-failed').some((l) => l.pid !== svc.child.pid && l.field === 'PORT')).toBe(true);
  } finally {
    await taken.close();
  }
});

test('PORT=0: when every worker was killed, the replacements listen on the port already announced', async () => {
  const { svc, port, workerPids } = await startCluster(services, { workers: 2 });
  for (const pid of workerPids) process.kill(pid, 'SIGKILL');
  const fresh = (l: LogLine) => isWorkerOnline(l) && !workerPids.includes(l.workerPid as number);
  await svc.waitForLine(() => svc.lines.filter(fresh).length === 2);
  expect(svc.lines.filter(fresh).map((l) => l.port)).toEqual([port, port]);
  expect((await request(port, '/hello')).status).toBe(200);
});

test('a bad LIFECYCLE_RESPAWN_BASE_MS is one line naming the variable and exit 64, before any worker is forked', async () => {
  const root = fixtureRoot(2);
  const svc = services.start(root, { env: { LIFECYCLE_RESPAWN_BASE_MS: 'fast' } });
  expect((await svc.exited).code).toBe(64);
  expect(linesOf(svc, 'boot-failed')).toEqual([expect.objectContaining({ field: 'LIFECYCLE_RESPAWN_BASE_MS', pid: svc.child.pid })]);
  expect(linesOf(svc, 'boot-failed')[0]!.message).toMatch(/^LIFECYCLE_RESPAWN_BASE_MS is "fast"; expected milliseconds/);
  expect(svc.lines.filter((l) => l.pid !== svc.child.pid)).toEqual([]);
});
