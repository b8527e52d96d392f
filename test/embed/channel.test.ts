/**
 * The app's own messages, next to ours: worker → primary (`channel.send` → `onWorkerMessage`, with
 * the sender's pid and slot) and primary → every worker (`broadcast` → `channel.onMessage`). In
 * single-process mode the same handlers run in the one process. `onUp` runs once, where the service
 * was started.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { request } from '../helpers/http.js';
import { REPO, trackServices, workersOnline } from '../helpers/service.js';

const APP = join(REPO, 'test/embed/fixtures/channel-app.mjs');
const services = trackServices();
afterEach(() => services.cleanup());

describe.each([1, 2])('WORKERS=%i', (workers) => {
  test('each hit reaches the handler once, with its sender; the count it broadcasts reaches the app', async () => {
    const svc = services.start(REPO, { command: [process.execPath, APP], env: { WORKERS: String(workers) } });
    const { port } = await svc.up();
    const up = await svc.waitForLine((l) => l.type === 'app-up');
    expect(up).toMatchObject({ pid: svc.child.pid, mode: workers > 1 ? 'cluster' : 'single', workers, port });
    expect(svc.lines.findIndex((l) => l.type === 'routes'), 'after the routes line').toBeLessThan(svc.lines.indexOf(up));
    const online = workers > 1 ? (await workersOnline(svc, workers)).map((l) => ({ pid: l.workerPid, slot: l.slot })) : [{ pid: svc.child.pid, slot: 0 }];
    for (let i = 0; i < 6; i++) await request(port, '/hit');
    const messages = await svc.waitForLine(() => svc.lines.filter((l) => l.type === 'app-message').length === 6).then(() => svc.lines.filter((l) => l.type === 'app-message'));
    for (const line of messages) {
      expect(line.pid, 'handled where the primary runs').toBe(svc.child.pid);
      expect((line.message as { kind: string }).kind).toBe('hit');
      const from = line.from as { pid: number; slot: number };
      expect(online).toContainEqual(from);
      expect(from.pid).toBe((line.message as { from: number }).from);
    }
    // Every process serving heard the last count.
    await expect.poll(async () => JSON.parse((await request(port, '/count')).body).heard).toBe(6);
    expect(svc.lines.some((l) => l.type === 'ipc-unknown-message')).toBe(false);
    // Ours still travel beside them: log-once once per service.
    await request(port, '/once');
    await request(port, '/once');
    await svc.waitForLine((l) => l.type === 'log-once');
    svc.kill('SIGTERM');
    expect((await svc.exited).code).toBe(15);
    expect(svc.lines.filter((l) => l.type === 'log-once')).toHaveLength(1);
    expect(svc.lines.filter((l) => l.type === 'app-up'), 'once, never in a worker').toHaveLength(1);
  });
});
