import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { request } from '../helpers/http.js';
import { childPids, listeningSockets } from '../../support/proc.js';
import { FIXTURE_ENTRY, fixtureServiceJson } from '../helpers/fixture.js';
import { makeServiceRoot, trackServices, workersOnline, type RunningService } from '../helpers/service.js';
import { linesOf, startCluster } from './cluster-service.js';

const PROBE = fileURLToPath(new URL('./fixtures/module-probe.mjs', import.meta.url));

describe('workers: 2', () => {
  const services = trackServices();
  let svc: RunningService;
  let port: number;
  let primary: number;
  let workers: number[];

  beforeAll(async () => {
    ({ svc, port, workerPids: workers } = await startCluster(services, { workers: 2, nodeArgs: ['--import', PROBE] }));
    primary = svc.child.pid!;
  });
  afterAll(() => services.cleanup());

  test('forks exactly two worker processes, one line each, and both serve', async () => {
    expect(childPids(primary).sort()).toEqual([...workers].sort());
    expect(new Set(workers).size).toBe(2);
    const served = new Set<number>();
    for (let i = 0; i < 20 && served.size < 2; i++) {
      const reply = await request(port, '/hello');
      expect(reply.status).toBe(200);
      served.add(JSON.parse(reply.body).pid);
    }
    expect([...served].sort()).toEqual([...workers].sort());
    expect(linesOf(svc, 'up')).toHaveLength(1);
    expect(linesOf(svc, 'up')[0]).toMatchObject({ mode: 'cluster', workers: 2, pid: primary });
  });

  test('the primary holds the shared listening socket but runs no HTTP server and never loads Koa', () => {
    for (const worker of workers) {
      // The probe does see what each worker creates: the check below can fail.
      expect(linesOf(svc, 'probe-http-server', worker)).toHaveLength(1);
      expect(linesOf(svc, 'probe-koa-loaded', worker).length).toBeGreaterThan(0);
      expect(listeningSockets(worker)).toEqual([]);
    }
    expect(linesOf(svc, 'probe-http-server', primary)).toEqual([]);
    expect(linesOf(svc, 'probe-koa-loaded', primary)).toEqual([]);
    expect(listeningSockets(primary).map((s) => s.port)).toEqual([port]);
  });

  test('/_status on one worker: a status line from every worker and from the primary', async () => {
    const before = svc.lines.length;
    expect((await request(port, '/_status')).status).toBe(200);
    const fresh = () => svc.lines.slice(before).filter((l) => l.type === 'metric/status');
    await svc.waitForLine(() => new Set(fresh().map((l) => l.pid)).size === 3, 5_000);
    const byPid = new Map(fresh().map((l) => [l.pid, l.mode]));
    expect(byPid).toEqual(new Map([[primary, 'cluster'], [workers[0], 'worker'], [workers[1], 'worker']]));
  });

  test('log-once from both workers prints once; an unknown IPC message is a warning and the primary keeps serving', async () => {
    const pids = new Set<number>();
    for (let i = 0; i < 20 && pids.size < 2; i++) pids.add(JSON.parse((await request(port, '/once')).body).pid);
    expect(pids.size).toBe(2);
    const sent = JSON.parse((await request(port, '/send')).body).pid;
    const warning = await svc.waitForLine((l) => l.type === 'ipc-unknown-message', 5_000);
    expect(warning).toMatchObject({ level: 'warn', pid: primary, workerPid: sent });
    expect(warning.message).toContain('"hello":"primary"');
    expect(linesOf(svc, 'log-once')).toEqual([expect.objectContaining({ message: 'said once', pid: primary })]);
    expect((await request(port, '/hello')).status).toBe(200);
    expect(childPids(primary).sort()).toEqual([...workers].sort());
  });
});

describe('a service whose setup() starts a server of its own', () => {
  const services = trackServices();
  afterAll(() => services.cleanup());

  // The side server listens before the service's own (setup runs first), on a port of its own.
  const SIDE_SERVER_ENTRY = FIXTURE_ENTRY.replace(
    'export default {',
    `import http from 'node:http';
export default {
  setup: () => new Promise((resolve) => http.createServer((req, res) => res.end('side')).listen(0, '127.0.0.1', resolve)),`,
  );

  test('the primary takes only the service server for a worker listening: worker-online, up and respawns use its port', async () => {
    const root = makeServiceRoot({ serviceJson: fixtureServiceJson(2), entry: SIDE_SERVER_ENTRY });
    const svc = services.start(root);
    const { port } = await svc.up();
    const online = await workersOnline(svc, 2);
    const reply = await request(port, '/hello');
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ hello: 'world' });
    expect(online.map((l) => l.port)).toEqual([port, port]);
    // The side server did listen in both workers (so the check above can fail): the primary holds two ports.
    await expect.poll(() => listeningSockets(svc.child.pid!).length).toBe(2);
    expect(linesOf(svc, 'worker-online')).toHaveLength(2);
    process.kill(online[0]!.workerPid as number, 'SIGKILL');
    const [, , replacement] = await workersOnline(svc, 3);
    expect(replacement!.port).toBe(port);
    svc.kill('SIGTERM');
    expect((await svc.exited).code).toBe(15);
  });
});
