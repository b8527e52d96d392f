/**
 * The embedding API as an integrator gets it: `npm pack`, the tarball installed into a new project,
 * and examples/embed run from there (public exports only), in single-process and cluster mode.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { request, sleep } from '../helpers/http.js';
import { childPids, isRunning } from '../../support/proc.js';
import { PACKAGE as packageJson, projectWithPackage } from '../helpers/packed.js';
import { REPO, trackServices, workersOnline, type RunningService } from '../helpers/service.js';

const EXAMPLE = join(REPO, 'examples/embed/index.mjs');
let project: string;

beforeAll(() => {
  project = projectWithPackage();
  copyFileSync(EXAMPLE, join(project, 'index.mjs'));
}, 120_000);

const services = trackServices();
afterEach(() => services.cleanup());
afterAll(() => services.cleanup());

function start(env: Record<string, string>): RunningService {
  return services.start(project, { command: [process.execPath, 'index.mjs'], cwd: project, env: { PORT: '0', ...env } });
}

test('the example imports nothing but packages by name, and of ours only exported subpaths', () => {
  const specifiers = [...readFileSync(EXAMPLE, 'utf8').matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]!);
  expect(specifiers.length).toBeGreaterThan(0);
  for (const specifier of specifiers) {
    expect(specifier, 'no relative or absolute paths').not.toMatch(/^[./]/);
    if (specifier.startsWith(packageJson.name)) expect(Object.keys(packageJson.exports)).toContain(`.${specifier.slice(packageJson.name.length)}`);
  }
  expect(specifiers).toContain('service-lifecycle/embed');
});

/** SIGTERM with a request in flight (the shutdown delay keeps the listener open for the probe): readiness 503 meanwhile, the response completes with Connection: close, exit 15 after it. */
async function drainWithRequestInFlight(svc: RunningService, port: number, processes: number) {
  const slow = request(port, '/slow?ms=1000');
  await sleep(200);
  svc.kill('SIGTERM');
  // Each process flips readiness before it logs `draining`: once every one has, no probe gets 200.
  await svc.waitForLine(() => svc.lines.filter((l) => l.type === 'draining').length === processes);
  const health = await request(port, '/healthcheck');
  expect(health.status).toBe(503);
  expect(JSON.parse(health.body)).toEqual({ status: 'draining' });
  const reply = await slow;
  expect(reply.status).toBe(200);
  expect(JSON.parse(reply.body)).toMatchObject({ waitedMs: 1000 });
  expect(reply.headers.connection).toBe('close');
  const exit = await svc.exited;
  expect(exit.code).toBe(15);
  expect(exit.at).toBeGreaterThanOrEqual(reply.at);
}

describe('examples/embed from the packed tarball', () => {
  test('WORKERS=1: one process serves; SIGTERM drains the request in flight and exits 15', async () => {
    const svc = start({ WORKERS: '1', SHUTDOWN_DELAY_MS: '1000' });
    const { port, line } = await svc.up();
    expect(line).toMatchObject({ mode: 'single', workers: 1 });
    const hello = await request(port, '/hello');
    expect(hello.status).toBe(200);
    expect(JSON.parse(hello.body)).toEqual({ hello: 'world', pid: svc.child.pid });
    expect(hello.headers['x-response-time'], 'the example\'s own middleware ran').toMatch(/ ms$/);
    expect(childPids(svc.child.pid!), 'no fork in single-process mode').toEqual([]);
    await drainWithRequestInFlight(svc, port, 1);
  });

  test('WORKERS=2: forked workers serve, a killed worker is respawned, SIGTERM drains them all and exits 15', async () => {
    const svc = start({ WORKERS: '2', SHUTDOWN_DELAY_MS: '1000', LIFECYCLE_RESPAWN_BASE_MS: '50' });
    const { port, line } = await svc.up();
    expect(line).toMatchObject({ mode: 'cluster', workers: 2 });
    const online = await workersOnline(svc, 2);
    const workers = online.map((l) => l.workerPid as number);
    expect(childPids(svc.child.pid!).sort()).toEqual([...workers].sort());
    const served = new Set<number>();
    for (let i = 0; i < 20 && served.size < 2; i++) served.add(JSON.parse((await request(port, '/hello')).body).pid);
    expect([...served].every((pid) => workers.includes(pid))).toBe(true);

    process.kill(workers[0]!, 'SIGKILL');
    await svc.waitForLine((l) => l.type === 'worker-respawn' && l.workerPid === workers[0]);
    const [, , replacement] = await workersOnline(svc, 3);
    expect(isRunning(replacement!.workerPid as number)).toBe(true);
    expect((await request(port, '/hello')).status).toBe(200);

    await drainWithRequestInFlight(svc, port, 3);
    for (const pid of [workers[1]!, replacement!.workerPid as number]) await expect.poll(() => isRunning(pid)).toBe(false);
  });
});
