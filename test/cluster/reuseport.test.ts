/**
 * CLUSTER_REUSEPORT=1 (specs/cluster-reuseport.md) against real processes. Where Node has reusePort
 * (22.12+, 23.1+, on Linux) the mode itself: the primary holds no listening socket, each worker holds
 * its own on the port, the kernel spreads new connections over both, a killed worker is respawned
 * into the group, SIGTERM drains, nothing outlives the primary. Where it has not (Node 20): the
 * fallback, one warning and classic cluster mode serving.
 */
import net from 'node:net';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { request } from '../helpers/http.js';
import { fixtureRoot } from '../helpers/fixture.js';
import { REUSEPORT_ENV, REUSEPORT_UNSUPPORTED } from '../helpers/reuseport.js';
import { settled, trackServices, workersOnline, type RunningService } from '../helpers/service.js';
import { childPids, isRunning, listeningSockets, processesWithEnv } from '../../support/proc.js';
import { portIsFree } from '../../support/ports.js';
import { clusterForSuite, linesOf, startCluster } from './cluster-service.js';

const holders = (pid: number, port: number) => listeningSockets(pid).filter((s) => s.port === port).length;
const lifecycleTargets = (svc: RunningService, pid: number) => linesOf(svc, 'lifecycle', pid).map((l) => l.to);
const servedBy = async (port: number, count: number) => {
  const pids = new Set<number>();
  // A new connection each time: the kernel picks a worker by a hash of the 4-tuple, so the client port decides.
  for (let i = 0; i < count; i++) pids.add(JSON.parse((await request(port, '/hello')).body).pid as number);
  return pids;
};

// Each Node line registers the tests of what it does with the opt-in: the mode, or the fallback.
const withReusePort = REUSEPORT_UNSUPPORTED ? () => {} : describe;
const withoutReusePort = REUSEPORT_UNSUPPORTED ? describe : () => {};

withReusePort(`CLUSTER_REUSEPORT=1 on Node ${process.version}: each worker listens itself`, () => {
  const c = clusterForSuite({ workers: 2, env: { ...REUSEPORT_ENV } });

  test('the statechart takes forkingCluster.startingReusePort; the up line says reusePort; no warning', () => {
    expect(lifecycleTargets(c.svc, c.primary)).toEqual(['boot', 'resolveWorkers', 'forkingCluster.startingReusePort', 'forkingCluster.serving']);
    expect(linesOf(c.svc, 'up')).toEqual([expect.objectContaining({ mode: 'cluster', workers: 2, transport: 'reusePort', port: c.port, pid: c.primary })]);
    expect(c.svc.lines.filter((l) => l.level === 'warn')).toEqual([]);
    // PORT=0: the primary picked one free port and every worker listens on it.
    expect(linesOf(c.svc, 'worker-online').map((l) => l.port)).toEqual([c.port, c.port]);
  });

  test('the primary holds no listening socket; each worker holds its own on the port', () => {
    expect(childPids(c.primary).sort()).toEqual([...c.workers].sort());
    expect(listeningSockets(c.primary)).toEqual([]);
    for (const worker of c.workers) expect(holders(worker, c.port)).toBe(1);
  });

  test('new connections are spread over both workers by the kernel', async () => {
    expect([...(await servedBy(c.port, 40))].sort()).toEqual([...c.workers].sort());
  });

  test('a killed worker is respawned into the group: worker-respawn, worker-online, its own socket, both serve', async () => {
    const [victim, survivor] = c.workers as [number, number];
    process.kill(victim, 'SIGKILL');
    const respawn = await c.svc.waitForLine((l) => l.type === 'worker-respawn', 5_000);
    expect(respawn).toMatchObject({ level: 'warn', workerPid: victim, signal: 'SIGKILL', pid: c.primary });
    // While the slot is empty the survivor alone holds the port and answers.
    expect((await request(c.port, '/hello')).status).toBe(200);
    const [, , replacement] = await workersOnline(c.svc, 3);
    const fresh = replacement!.workerPid as number;
    expect(replacement).toMatchObject({ slot: respawn.slot, port: c.port });
    expect(holders(fresh, c.port)).toBe(1);
    expect(listeningSockets(c.primary)).toEqual([]);
    expect([...(await servedBy(c.port, 40))].sort()).toEqual([fresh, survivor].sort());
    c.workers = [survivor, fresh];
  });

  test('SIGTERM with requests in flight: each is answered with Connection: close, both workers drain, exit 15, the port is free', async () => {
    const inFlight = Array.from({ length: 10 }, () => request(c.port, '/slow?ms=600', { timeoutMs: 10_000 }));
    await c.svc.waitForLine(() => linesOf(c.svc, 'slow-start').length >= 10, 5_000);
    c.svc.kill('SIGTERM');
    const replies = await Promise.all(inFlight);
    for (const reply of replies) expect({ status: reply.status, connection: reply.headers.connection }).toEqual({ status: 200, connection: 'close' });
    expect((await settled(c.svc)).code).toBe(15);
    expect(linesOf(c.svc, 'drained').map((l) => l.pid).sort()).toEqual([...c.workers].sort());
    for (const worker of c.workers) expect(isRunning(worker)).toBe(false);
    expect(await portIsFree(c.port)).toBe(true);
  });
});

withReusePort(`CLUSTER_REUSEPORT=1 on Node ${process.version}: the port and the primary`, () => {
  const services = trackServices();
  afterEach(() => services.cleanup());

  test('a port another reusePort listener holds (same user, which Linux would let us share) fails with exit 69', async () => {
    const other = net.createServer();
    await new Promise<void>((resolve) => other.listen({ port: 0, reusePort: true } as net.ListenOptions, resolve));
    const { port } = other.address() as net.AddressInfo;
    try {
      const svc = services.start(fixtureRoot(2), { env: { ...REUSEPORT_ENV, PORT: String(port) } });
      expect((await settled(svc)).code).toBe(69);
      expect(linesOf(svc, 'boot-failed')).toEqual([expect.objectContaining({ field: 'PORT', message: `PORT ${port} is already in use; stop the other process or set PORT to a free port` })]);
      expect(linesOf(svc, 'worker-online')).toEqual([]);
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });

  test('the primary is SIGKILLed: every worker exits at once, and with them the sockets on the port', async () => {
    const { svc, port, workerPids } = await startCluster(services, { workers: 2, env: { ...REUSEPORT_ENV } });
    for (const worker of workerPids) expect(holders(worker, port)).toBe(1);
    svc.kill('SIGKILL');
    await svc.exited;
    for (const worker of workerPids) await expect.poll(() => isRunning(worker), { timeout: 5_000 }).toBe(false);
    // A SIGKILLed worker's main thread is a zombie while its other threads still exit, holding its files a moment longer.
    await expect.poll(() => portIsFree(port), { timeout: 5_000 }).toBe(true);
  });
});

withoutReusePort(`CLUSTER_REUSEPORT=1 on Node ${process.version}: the fallback`, () => {
  const services = trackServices();
  afterAll(() => services.cleanup());

  test('one config warning saying why, then classic cluster mode serves: the primary holds the socket, the workers were told round-robin', async () => {
    const { svc, port, up, workerPids } = await startCluster(services, { workers: 2, env: { ...REUSEPORT_ENV } });
    const primary = svc.child.pid!;
    const warnings = svc.lines.filter((l) => l.level === 'warn');
    expect(warnings).toEqual([
      expect.objectContaining({
        type: 'config',
        field: 'CLUSTER_REUSEPORT',
        pid: primary,
        message: `CLUSTER_REUSEPORT=1: ${REUSEPORT_UNSUPPORTED}; serving in classic cluster mode (the primary accepts every connection)`,
      }),
    ]);
    expect(lifecycleTargets(svc, primary)).toEqual(['boot', 'resolveWorkers', 'forkingCluster.starting', 'forkingCluster.serving']);
    expect(up).toMatchObject({ mode: 'cluster', workers: 2, transport: 'round-robin' });
    expect(holders(primary, port)).toBe(1);
    for (const worker of workerPids) expect(listeningSockets(worker)).toEqual([]);
    expect(processesWithEnv('CLUSTER_REUSEPORT', '0').filter((pid) => workerPids.includes(pid)).sort()).toEqual([...workerPids].sort());
    expect([...(await servedBy(port, 40))].sort()).toEqual([...workerPids].sort());
    svc.kill('SIGTERM');
    expect((await settled(svc)).code).toBe(15);
  });
});

describe('CLUSTER_REUSEPORT=1 with one worker', () => {
  const services = trackServices();
  afterAll(() => services.cleanup());

  test('changes nothing: single-process mode, no warning, no transport in the up line', async () => {
    const svc = services.start(fixtureRoot(1), { env: { ...REUSEPORT_ENV } });
    const { port, line } = await svc.up();
    expect(line).toMatchObject({ mode: 'single', workers: 1 });
    expect(line).not.toHaveProperty('transport');
    expect(svc.lines.filter((l) => l.level === 'warn')).toEqual([]);
    expect(childPids(svc.child.pid!)).toEqual([]);
    expect((await request(port, '/hello')).status).toBe(200);
    svc.kill('SIGTERM');
    expect((await settled(svc)).code).toBe(15);
  });
});
