/** `service-lifecycle inspect`: a loopback relay from services to browser pages, printing what it sees. */
import { afterEach, expect, test } from 'vitest';
import WebSocket from 'ws';
import { request } from '../helpers/http.js';
import { listeningSockets } from '../../support/proc.js';
import { fixtureRoot } from '../helpers/fixture.js';
import { CLI, trackServices } from '../helpers/service.js';

const services = trackServices();
afterEach(() => services.cleanup());

test('relays a service’s inspection events to a viewer, prints each transition, listens on loopback only', async () => {
  const inspector = services.start('', { command: [process.execPath, CLI, 'inspect', '--port', '0'] });
  const listening = await inspector.waitForLine((l) => l.type === 'inspector-listening');
  const url = String(listening.ws);
  const port = Number(new URL(url).port);
  expect(listeningSockets(inspector.child.pid!)).toEqual([{ address: '127.0.0.1', port }]);
  const page = await request(port, '/');
  expect(page.status).toBe(200);
  expect(page.body).toContain('https://stately.ai/inspect');

  const viewer = new WebSocket(url);
  const seen: Array<{ type: string; snapshot?: { value?: unknown } }> = [];
  viewer.on('message', (data) => seen.push(JSON.parse(data.toString())));
  await new Promise((resolve) => viewer.once('open', resolve));

  const root = fixtureRoot(1);
  const svc = services.start(root, { args: ['--inspect-lifecycle=' + url] });
  await svc.up();
  svc.kill('SIGTERM');
  expect((await svc.exited).code).toBe(15);

  const last = await inspector.waitForLine((l) => l.type === 'inspected' && l.state === 'exited');
  expect(last).toMatchObject({ actor: `lifecycle (main ${svc.child.pid})`, event: 'xstate.done.actor.runDrain' });
  const printed = inspector.lines.filter((l) => l.type === 'inspected').map((l) => l.state);
  expect(printed).toEqual(['boot', 'resolveWorkers', 'servingInline.starting', 'servingInline.serving', 'draining', 'exited']);
  await expect.poll(() => seen.filter((e) => e.type === '@xstate.snapshot' && e.snapshot?.value === 'exited').length).toBe(1);
  viewer.close();

  inspector.kill('SIGTERM');
  expect((await inspector.exited).code).toBe(0);
});

test('a taken port is one clear error line and exit 69', async () => {
  const first = services.start('', { command: [process.execPath, CLI, 'inspect', '--port', '0'] });
  const port = Number(new URL(String((await first.waitForLine((l) => l.type === 'inspector-listening')).ws)).port);
  const second = services.start('', { command: [process.execPath, CLI, 'inspect', '--port', String(port)] });
  expect((await second.exited).code).toBe(69);
  expect(second.lines.filter((l) => l.level === 'error')).toEqual([expect.objectContaining({ type: 'inspector-listen-failed', port })]);
});

test('a URL that is not ws:// is a usage error naming the flag', async () => {
  const root = fixtureRoot(1);
  const svc = services.start(root, { args: ['--inspect-lifecycle=http://127.0.0.1:1'] });
  expect((await svc.exited).code).toBe(64);
  expect(svc.output()).toContain('--inspect-lifecycle=\\"http://127.0.0.1:1\\" must be a ws:// or wss:// URL');
});
