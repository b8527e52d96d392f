/**
 * Issue 12: the drop-in. The example app as the platform's node builder leaves it (the SDK's layout,
 * compiled JavaScript, the identity in the environment), booted by the SDK's one-line script with
 * `require('@vtex/api')` swapped for `require('service-lifecycle/vtex-api')`, in both modes.
 */
import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { request, upReceiver } from '../helpers/http.js';
import { freePort } from '../../support/ports.js';
import { childPids, isRunning } from '../../support/proc.js';
import { trackServices, workersOnline } from '../helpers/service.js';
import { sdkStage, VTEX_ENV } from '../helpers/vtex-app.js';
import { drainsSlowRoute, occurrences, ofType, reachEvery } from './checks.js';

const services = trackServices();
afterEach(() => services.cleanup());

const stages: Record<number, string> = {};
let receiver: Awaited<ReturnType<typeof upReceiver>>;
beforeAll(async () => {
  for (const workers of [1, 2]) stages[workers] = sdkStage({ workers });
  receiver = await upReceiver();
}, 60_000);
afterAll(async () => {
  await receiver.close();
  for (const dir of Object.values(stages)) rmSync(dir, { recursive: true, force: true });
});

const start = (workers: number, env: Record<string, string> = {}) =>
  services.start(stages[workers]!, {
    command: [process.execPath, 'ours.cjs'],
    cwd: stages[workers],
    env: { ...VTEX_ENV, LIFECYCLE_UP_URL: receiver.url, SHUTDOWN_DELAY_MS: '300', ...env },
  });

/** What the platform's router sends with a request to a public route. */
const routed = (id: string, params: string) => ({ 'x-colossus-route-id': id, 'x-colossus-params': params, 'x-vtex-account': 'acme', 'x-vtex-workspace': 'dev' });
const ACCOUNT = { 'x-vtex-account': 'acme', 'x-vtex-workspace': 'dev' };

describe.each([1, 2])('startApp() from the SDK layout, workers: %i', (workers) => {
  test('routes answer as the SDK routes them; announced once; SIGTERM drains the request in flight', async () => {
    const svc = start(workers, workers > 1 ? { LIFECYCLE_RESPAWN_BASE_MS: '50' } : {});
    const { port, line } = await svc.up();
    expect(line).toMatchObject({ mode: workers > 1 ? 'cluster' : 'single', workers, port });
    const pids = workers > 1 ? (await workersOnline(svc, workers)).map((l) => l.workerPid as number) : [svc.child.pid!];
    expect(childPids(svc.child.pid!).sort()).toEqual(workers > 1 ? [...pids].sort() : []);

    // The public route by the router's headers, on any path; by path alone it is not routed (as the SDK, no injection here).
    await reachEvery(pids, () => request(port, '/', { headers: routed('status', 'code=200') }));
    expect((await request(port, '/_v/status/200')).status).toBe(404);
    await reachEvery(pids, () => request(port, '/acme/dev/_v/private/hello/world', { headers: ACCOUNT }));
    expect(occurrences(svc, 'fixture: status route called for the first time')).toBe(1);
    expect(occurrences(svc, 'Available service routes:')).toBe(1);
    expect(svc.output()).toContain('https://dev--acme.myvtex.com/_v/status/:code');
    await expect.poll(() => receiver.received.filter((r) => r.body === '{"statusTrack":true}').length).toBeGreaterThanOrEqual(1);

    expect((await request(port, '/_status')).status).toBe(200);
    await svc.waitForLine(() => svc.lines.filter(ofType('fixture-status-flush')).length === workers);
    expect(svc.lines.filter(ofType('fixture-status-flush')).map((l) => l.pid).sort()).toEqual([...pids].sort());

    if (workers > 1) {
      process.kill(pids[0]!, 'SIGKILL');
      await svc.waitForLine((l) => l.type === 'worker-respawn' && l.workerPid === pids[0]);
      const replacement = (await workersOnline(svc, workers + 1)).at(-1)!.workerPid as number;
      await reachEvery([pids[1]!, replacement], () => request(port, '/', { headers: routed('status', 'code=200') }));
      pids.splice(0, 1, replacement);
    }
    await drainsSlowRoute(svc, port, ACCOUNT);
    for (const pid of pids) await expect.poll(() => isRunning(pid)).toBe(false);
  });
});

test('the SDK\'s up receiver is down: one warning, still serving', async () => {
  const url = `http://127.0.0.1:${await freePort()}/_up`;
  const svc = start(1, { LIFECYCLE_UP_URL: url });
  const { port } = await svc.up();
  expect(await svc.waitForLine(ofType('up-notify-failed'))).toMatchObject({ level: 'warn', url });
  expect((await request(port, '/', { headers: routed('status', 'code=200') })).status).toBe(200);
  expect(svc.child.exitCode).toBe(null);
});
