/**
 * The owner going away, in both modes: SIGHUP (a closed terminal, a dropped ssh session) drains like
 * SIGTERM, and a stdout whose reader is gone (`… | head -1`, a log shipper that died) never stops
 * the service from serving, draining and exiting with its usual code.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { request, sleep } from '../helpers/http.js';
import { processesWithEnv } from '../../support/proc.js';
import { fixtureRoot, MODES } from '../helpers/fixture.js';
import { settled, trackServices, workersOnline, type RunningService } from '../helpers/service.js';

const services = trackServices();
afterEach(() => services.cleanup());

function boot(workers: number) {
  const marker = `hangup-${workers}-${process.pid}-${Date.now()}-${Math.random()}`;
  const svc = services.start(fixtureRoot(workers), { env: { RELIABILITY_MARKER: marker } });
  return { svc, marker };
}

async function serving(svc: RunningService, workers: number) {
  const { port } = await svc.up();
  if (workers > 1) await workersOnline(svc, workers);
  return port;
}

async function noneLeft(marker: string) {
  for (let i = 0; i < 50 && processesWithEnv('RELIABILITY_MARKER', marker).length > 0; i++) await sleep(100);
  return processesWithEnv('RELIABILITY_MARKER', marker);
}

describe.each(MODES)('$mode', ({ workers }) => {
  test('SIGHUP drains: the request in flight completes with Connection: close, then exit 1 with an exit line', async () => {
    const { svc, marker } = boot(workers);
    const port = await serving(svc, workers);
    const slow = request(port, '/slow?ms=800');
    await sleep(200);
    svc.kill('SIGHUP');
    const reply = await slow;
    expect(reply.status).toBe(200);
    expect(reply.headers.connection).toBe('close');
    const exit = await settled(svc);
    expect(exit.code).toBe(1);
    expect(exit.at).toBeGreaterThanOrEqual(reply.at);
    const top = svc.child.pid;
    expect(svc.lines.find((l) => l.type === 'draining' && l.pid === top)).toMatchObject({ signal: 'SIGHUP' });
    expect(svc.lines.find((l) => l.type === 'exit' && l.pid === top)).toMatchObject({ code: 1 });
    expect(await noneLeft(marker)).toEqual([]);
  });

  test('stdout closed by its reader after the first lines: still serving, a warning on stderr, SIGTERM drains and exits 15', async () => {
    const { svc, marker } = boot(workers);
    const port = await serving(svc, workers);
    // The reader goes away, as `| head -1` does once it has its line.
    svc.child.stdout!.destroy();
    // Every process now writes to a pipe nobody reads: /_status logs a line in each of them.
    for (let i = 0; i < 5; i++) expect((await request(port, '/_status')).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await request(port, '/hello')).status).toBe(200);
    await svc.waitForLine((l) => l.type === 'log-stream-closed');
    const warning = svc.lines.find((l) => l.type === 'log-stream-closed')!;
    expect(warning).toMatchObject({ level: 'warn', stream: 'stdout', error: 'EPIPE' });
    expect(svc.lines.some((l) => l.type === 'crash')).toBe(false);
    svc.kill('SIGTERM');
    const exit = await settled(svc);
    expect(exit.code).toBe(15);
    expect(await noneLeft(marker)).toEqual([]);
  });
});
