/**
 * The embedding API as an integrator gets it: `npm pack`, the tarball installed into a new project,
 * and examples/embed run from there (public exports only), in single-process and cluster mode.
 */
import { copyFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { drainsRequestInFlight } from '../helpers/drain.js';
import { request } from '../helpers/http.js';
import { childPids, isRunning } from '../../support/proc.js';
import { PACKAGE as packageJson, projectWithPackage } from '../helpers/packed.js';
import { REPO, trackServices, workersOnline, type RunningService } from '../helpers/service.js';
import { VTEX_EXAMPLE } from '../helpers/vtex-app.js';

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
    await drainsRequestInFlight(svc, port, '/slow?ms=1000');
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

    await drainsRequestInFlight(svc, port, '/slow?ms=1000');
    for (const pid of [workers[1]!, replacement!.workerPid as number]) await expect.poll(() => isRunning(pid)).toBe(false);
  });
});

describe('service-lifecycle/vtex-api installed without @vtex/api (an optional peer dependency)', () => {
  const expectMissingSdk = async (svc: RunningService) => {
    expect((await svc.exited).code).toBe(78);
    const failed = svc.lines.filter((l) => l.type === 'boot-failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ field: '@vtex/api' });
    expect(failed[0]!.message).toMatch(/^@vtex\/api is not installed: not found from .* nor from service-lifecycle; add "@vtex\/api": "\^6\.51\.3" to the app's package\.json \(or beside service-lifecycle\) and run npm install$/);
  };

  test('startApp() in the SDK layout: one boot-failed line naming the fix, exit 78', async () => {
    mkdirSync(join(project, 'service/src/node'), { recursive: true });
    writeFileSync(join(project, 'service/service.json'), JSON.stringify({ workers: 1, routes: {} }));
    writeFileSync(join(project, 'service/src/node/index.js'), 'exports.default = {};\n');
    writeFileSync(join(project, 'main.cjs'), "require('service-lifecycle/vtex-api').startApp();\n");
    await expectMissingSdk(services.start(project, { command: [process.execPath, 'main.cjs'], cwd: project, env: { VTEX_APP_ID: 'vtex.service-example@0.3.0' } }));
  });

  test('the bin\'s start <app-root> on an app folder: the same line, exit 78', async () => {
    cpSync(VTEX_EXAMPLE, join(project, 'app'), { recursive: true });
    await expectMissingSdk(services.start(project, { command: [process.execPath, join(project, 'node_modules/.bin/service-lifecycle'), 'start', 'app'], cwd: project }));
  });
});
