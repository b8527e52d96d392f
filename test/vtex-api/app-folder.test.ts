/**
 * Issue 12: a real @vtex/api app folder (examples/vtex-service-example: manifest.json beside node/,
 * a TypeScript entry) run unchanged by `service-lifecycle start <app-root>`, in both modes. Real
 * processes, the SDK's own code building the app, loopback only.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { request, upReceiver } from '../helpers/http.js';
import { freePort } from '../../support/ports.js';
import { childPids, isRunning, listeningSockets } from '../../support/proc.js';
import { REPO, trackServices, workersOnline, type RunningService } from '../helpers/service.js';
import { appFolderCopy, VTEX_EXAMPLE } from '../helpers/vtex-app.js';
import { drainsSlowRoute, occurrences, ofType, reachEvery } from './checks.js';

const services = trackServices();
afterEach(() => services.cleanup());

let receiver: Awaited<ReturnType<typeof upReceiver>>;
beforeAll(async () => {
  receiver = await upReceiver();
});
afterAll(() => receiver.close());

const start = (root: string, env: Record<string, string | undefined> = {}) =>
  services.start(root, { env: { LIFECYCLE_UP_URL: receiver.url, SHUTDOWN_DELAY_MS: '300', ...env } });

const json = (body: string) => JSON.parse(body) as Record<string, unknown>;
const statusFlushes = (svc: RunningService) => svc.lines.filter(ofType('fixture-status-flush')).map((l) => l.pid);

test('the example type-checks with its own tsconfig, as the platform\'s builder compiles it', () => {
  expect(() => execFileSync(join(REPO, 'node_modules/.bin/tsc'), ['-p', join(VTEX_EXAMPLE, 'node/tsconfig.json'), '--noEmit'], { encoding: 'utf8' })).not.toThrow();
});

describe('workers: 1, single process', () => {
  test('one process serves the public route by path and private routes; identity from manifest.json; up POST, route listing, log-once, status track; SIGTERM drains the request in flight', async () => {
    const svc = start(VTEX_EXAMPLE);
    const { port, line } = await svc.up();
    expect(line).toMatchObject({ mode: 'single', workers: 1, pid: svc.child.pid });
    expect(childPids(svc.child.pid!), 'no fork').toEqual([]);

    // The public route by its path: route id and params as the platform's router sends them; the documented account and workspace.
    const status = await request(port, '/_v/status/200');
    expect(status.status).toBe(200);
    expect(json(status.body)).toMatchObject({ code: 200, account: 'local', workspace: 'master', route: { id: 'status', type: 'public', params: { code: '200' } }, pid: svc.child.pid });
    expect((await request(port, '/_v/status/503')).status).toBe(503);
    expect((await request(port, '/_v/status/abc')).status, 'the app\'s validate middleware').toBe(400);
    // Headers already present are the platform's and win over the path.
    const byHeader = await request(port, '/anything', { headers: { 'x-colossus-route-id': 'status', 'x-colossus-params': 'code=201', 'x-vtex-account': 'other' } });
    expect(json(byHeader.body)).toMatchObject({ code: 201, account: 'other' });
    // A private route at /:account/:workspace/…, with the clients class wired.
    const hello = await request(port, '/acme/dev/_v/private/hello/world');
    expect(hello.status).toBe(200);
    expect(json(hello.body)).toMatchObject({ hello: 'world', account: 'acme', workspace: 'dev', route: { id: 'hello', type: 'private' }, statusClient: 'Status' });
    expect((await request(port, '/healthcheck')).status).toBe(200);

    // Announced once: our up line, the SDK's route listing with the manifest's identity, the up POST.
    expect(occurrences(svc, 'Available service routes:')).toBe(1);
    expect(svc.output()).toContain('https://app.io.vtex.com/vtex.service-example/v0/local/master/_v/private/hello/:name');
    await expect.poll(() => receiver.received.length).toBeGreaterThanOrEqual(1);
    expect(receiver.received.at(-1)).toMatchObject({ method: 'POST', contentType: 'application/json', body: '{"statusTrack":true}' });
    // logOnceToDevConsole: once per process.
    expect(occurrences(svc, 'fixture: status route called for the first time')).toBe(1);
    // Status track: GET /_status flushes the SDK's metrics in this process.
    expect((await request(port, '/_status')).status).toBe(200);
    await svc.waitForLine(ofType('fixture-status-flush'));
    expect(statusFlushes(svc)).toEqual([svc.child.pid]);

    await drainsSlowRoute(svc, port);
    expect(svc.lines.find(ofType('drained'))).toMatchObject({ mode: 'single', forceClosed: 0 });
  });

  test('an uncaught exception exits 70 with a crash line and nothing restarts it', async () => {
    const svc = start(VTEX_EXAMPLE);
    const { port } = await svc.up();
    expect((await request(port, '/acme/dev/_v/private/crash')).status).toBe(202);
    expect((await svc.exited).code).toBe(70);
    expect(await svc.waitForLine(ofType('crash'))).toMatchObject({ level: 'error', error: 'Error: fixture: crash requested' });
    expect(svc.lines.filter(ofType('up')), 'no second boot').toHaveLength(1);
  });

  test('a failed up POST is a warning; the service keeps serving', async () => {
    const url = `http://127.0.0.1:${await freePort()}/_up`;
    const svc = start(VTEX_EXAMPLE, { LIFECYCLE_UP_URL: url });
    const { port } = await svc.up();
    expect(await svc.waitForLine(ofType('up-notify-failed'))).toMatchObject({ level: 'warn', url });
    expect((await request(port, '/_v/status/200')).status).toBe(200);
    expect(svc.child.exitCode).toBe(null);
  });

  test('linked mode: one process whatever workers says, the debugger on it at 127.0.0.1', async () => {
    const inspectPort = await freePort();
    const svc = start(appFolderCopy({ serviceJson: (s) => (s.workers = 2) }), { VTEX_APP_LINK: 'true', INSPECT_PORT: String(inspectPort) });
    const { port, line } = await svc.up();
    expect(line).toMatchObject({ mode: 'single', workers: 1 });
    expect(await svc.waitForLine(ofType('debugger'))).toMatchObject({ host: '127.0.0.1', port: inspectPort, pid: svc.child.pid });
    expect(listeningSockets(svc.child.pid!)).toContainEqual({ address: '127.0.0.1', port: inspectPort });
    // A fresh copy, so tsx transforms the TypeScript entry: esbuild leaves no process behind either.
    expect(childPids(svc.child.pid!)).toEqual([]);
    expect((await request(port, '/_v/status/200')).status).toBe(200);
  });
});

describe('workers: 2, cluster', () => {
  test('forked workers serve both routes; log-once once per cluster; status track reaches every worker; a killed worker is respawned; SIGTERM drains the request in flight', async () => {
    const svc = start(appFolderCopy({ serviceJson: (s) => (s.workers = 2) }), { LIFECYCLE_RESPAWN_BASE_MS: '50' });
    const { port, line } = await svc.up();
    expect(line).toMatchObject({ mode: 'cluster', workers: 2 });
    const workers = (await workersOnline(svc, 2)).map((l) => l.workerPid as number);
    expect(childPids(svc.child.pid!).sort()).toEqual([...workers].sort());

    await reachEvery(workers, () => request(port, '/_v/status/200'));
    await reachEvery(workers, () => request(port, '/acme/dev/_v/private/hello/world'));
    // Both workers logged each message once; the primary printed it once.
    expect(occurrences(svc, 'fixture: status route called for the first time')).toBe(1);
    expect(occurrences(svc, 'fixture: hello route called for the first time')).toBe(1);
    expect(occurrences(svc, 'Scaling status cache capacity from 5000 to 2500'), 'the caches scaled to the 2 workers').toBe(1);
    expect(occurrences(svc, 'Available service routes:')).toBe(1);
    expect(svc.lines.some(ofType('ipc-unknown-message'))).toBe(false);

    expect((await request(port, '/_status')).status).toBe(200);
    await svc.waitForLine(() => statusFlushes(svc).length === 2);
    expect(statusFlushes(svc).sort()).toEqual([...workers].sort());

    process.kill(workers[0]!, 'SIGKILL');
    await svc.waitForLine((l) => l.type === 'worker-respawn' && l.workerPid === workers[0]);
    const replacement = (await workersOnline(svc, 3))[2]!.workerPid as number;
    expect(isRunning(replacement)).toBe(true);
    await reachEvery([workers[1]!, replacement], () => request(port, '/_v/status/200'));
    expect(occurrences(svc, 'Available service routes:'), 'announced once per boot, not per respawn').toBe(1);

    await drainsSlowRoute(svc, port);
    for (const pid of [workers[1]!, replacement]) await expect.poll(() => isRunning(pid)).toBe(false);
  });
});
