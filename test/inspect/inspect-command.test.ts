/**
 * `service-lifecycle inspect`: a loopback relay from services to browser pages, printing what it
 * sees; the README's two-terminal flow (the bare flag: the token comes from the token file) in
 * both modes.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { request } from '../helpers/http.js';
import { listeningSockets } from '../../support/proc.js';
import { CLI, trackServices, workersOnline } from '../helpers/service.js';
import { fixtureRoot } from '../helpers/fixture.js';
import { client, startInspect } from './relay.js';

const services = trackServices();
afterEach(() => services.cleanup());

test('relays a service’s inspection events to a viewer, prints each transition, listens on loopback only', async () => {
  const { inspector, port, ws, env } = await startInspect(services);
  expect(listeningSockets(inspector.child.pid!)).toEqual([{ address: '127.0.0.1', port }]);
  const page = await request(port, '/');
  expect(page.status).toBe(200);
  expect(page.body).toContain('/page/app.js');
  const stately = await request(port, '/stately');
  expect(stately.body).toContain('https://stately.ai/inspect');

  const viewer = client(`ws://127.0.0.1:${port}/raw`);
  expect(await viewer.outcome).toBe('open');

  const root = fixtureRoot(1);
  const svc = services.start(root, { args: ['--inspect-lifecycle=' + ws], env });
  await svc.up();
  svc.kill('SIGTERM');
  expect((await svc.exited).code).toBe(15);

  const last = await inspector.waitForLine((l) => l.type === 'inspected' && l.state === 'exited');
  expect(last).toMatchObject({ actor: `lifecycle (main ${svc.child.pid})`, event: 'xstate.done.actor.runDrain' });
  const printed = inspector.lines.filter((l) => l.type === 'inspected').map((l) => l.state);
  expect(printed).toEqual(['boot', 'resolveWorkers', 'servingInline.starting', 'servingInline.serving', 'draining', 'exited']);
  expect(await inspector.waitForLine((l) => l.type === 'inspected-process')).toMatchObject({ actor: `lifecycle (main ${svc.child.pid})`, exit: 15 });
  const seen = () => viewer.messages.map((text) => JSON.parse(text) as { type: string; snapshot?: { value?: unknown } });
  await expect.poll(() => seen().filter((e) => e.type === '@xstate.snapshot' && e.snapshot?.value === 'exited').length).toBe(1);
  viewer.ws.close();

  inspector.kill('SIGTERM');
  expect((await inspector.exited).code).toBe(0);
});

describe('the README flow: start `inspect`, then a service with the bare --inspect-lifecycle=ws://127.0.0.1:PORT (token from the file)', () => {
  test.each([
    { mode: 'single', workers: 1, pids: 1 },
    { mode: 'cluster', workers: 2, pids: 3 },
  ])('$mode mode: every process’s transitions are printed, through the drain to exit 15', async ({ workers, pids }) => {
    const { inspector, port, env } = await startInspect(services);
    const root = fixtureRoot(workers);
    const svc = services.start(root, { args: [`--inspect-lifecycle=ws://127.0.0.1:${port}`], env });
    await svc.up();
    if (workers > 1) await workersOnline(svc, workers);
    svc.kill('SIGTERM');
    expect((await svc.exited).code).toBe(15);
    await expect.poll(() => inspector.lines.filter((l) => l.type === 'inspected' && l.state === 'exited').length, { timeout: 10_000 }).toBe(pids);
    const actors = new Set(inspector.lines.filter((l) => l.type === 'inspected').map((l) => l.actor));
    expect(actors.size).toBe(pids);
    expect(actors).toContain(`lifecycle (main ${svc.child.pid})`);
    expect(svc.lines.filter((l) => l.level === 'warn')).toEqual([]);
  });
});

test('the token file: written private for the port, removed when an ephemeral-port inspect stops', async () => {
  const { inspector } = await startInspect(services);
  const listening = await inspector.waitForLine((l) => l.type === 'inspector-listening');
  const { statSync, existsSync, readFileSync } = await import('node:fs');
  const file = String(listening.tokenFile);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(readFileSync(file, 'utf8').trim()).toBe(new URL(String(listening.ws)).searchParams.get('token'));
  expect(String(listening.connect)).toBe(`LIFECYCLE_INSPECT='${String(listening.ws)}' service-lifecycle start <root>`);
  inspector.kill('SIGINT');
  expect((await inspector.exited).code).toBe(0);
  expect(existsSync(file)).toBe(false);
});

test('a taken port is one clear error line and exit 69', async () => {
  const first = await startInspect(services);
  const second = services.start('', { command: [process.execPath, CLI, 'inspect', '--port', String(first.port)], env: first.env });
  expect((await second.exited).code).toBe(69);
  expect(second.lines.filter((l) => l.level === 'error')).toEqual([expect.objectContaining({ type: 'inspector-listen-failed', port: first.port })]);
});

test('a URL that is not ws:// is a usage error naming the flag, with its token hidden', async () => {
  const root = fixtureRoot(1);
  const svc = services.start(root, { args: ['--inspect-lifecycle=http://127.0.0.1:1/?token=abcdefsecret'] });
  expect((await svc.exited).code).toBe(64);
  expect(svc.output()).toContain('--inspect-lifecycle=\\"http://127.0.0.1:1/?token=…\\" must be a ws:// or wss:// URL');
  expect(svc.output()).not.toContain('abcdefsecret');
});
