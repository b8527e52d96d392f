/**
 * Issue 17, with real sockets against `service-lifecycle inspect`: only loopback Hosts, only the
 * relay's own page as a browser Origin, only token holders without an Origin publish, and a bad
 * client is closed while the relay and every other client go on.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { request } from '../helpers/http.js';
import { trackServices, type RunningService } from '../helpers/service.js';
import { client, startInspect, type StartedInspect } from './relay.js';

const services = trackServices();
let relay: StartedInspect;
beforeEach(async () => {
  relay = await startInspect(services);
});
afterEach(() => services.cleanup());

const token = () => new URL(relay.ws).searchParams.get('token')!;
const refusals = (inspector: RunningService) => inspector.lines.filter((l) => l.type === 'inspector-refused');
const hello = (pid: number) => JSON.stringify({ type: '@lifecycle.process', v: 1, pid, ppid: 1, role: 'main', startedAt: Date.now() });
const snapshot = (pid: number, value: string) =>
  JSON.stringify({ type: '@xstate.snapshot', sessionId: `${pid}:x:0`, rootId: `${pid}:x:0`, event: { type: 'TEST' }, snapshot: { status: 'active', value, context: {} }, createdAt: String(Date.now()) });

/** A publisher with the token, said hello as `pid`. */
async function publisher(pid: number) {
  const c = client(relay.ws);
  expect(await c.outcome).toBe('open');
  c.ws.send(hello(pid));
  return c;
}

/** A viewer of the raw events, to see what gets relayed. */
async function rawViewer() {
  const c = client(`ws://127.0.0.1:${relay.port}/raw`);
  expect(await c.outcome).toBe('open');
  return c;
}

describe('Host', () => {
  test('GET / with a foreign Host is 421, one warn line naming the host, rate-limited', async () => {
    for (let i = 0; i < 20; i++) expect((await request(relay.port, '/', { headers: { host: 'evil.example' } })).status).toBe(421);
    expect((await request(relay.port, '/', { headers: { host: `evil.example:${relay.port}` } })).status).toBe(421);
    expect((await request(relay.port, '/', { headers: { host: '127.0.0.1:1' } })).status).toBe(421);
    for (const host of [`127.0.0.1:${relay.port}`, `localhost:${relay.port}`, `[::1]:${relay.port}`, `LOCALHOST:${relay.port}`]) {
      expect((await request(relay.port, '/', { headers: { host } })).status).toBe(200);
    }
    await relay.inspector.waitForLine((l) => l.type === 'inspector-refused' && l.host === '127.0.0.1:1');
    expect(refusals(relay.inspector).filter((l) => l.host === 'evil.example')).toEqual([expect.objectContaining({ level: 'warn', reason: 'host not allowed', host: 'evil.example' })]);
  });

  test('an upgrade with a foreign Host is 421, for the page’s socket and for publishing', async () => {
    for (const url of [`ws://127.0.0.1:${relay.port}/live`, relay.ws]) {
      const c = client(url, { headers: { host: 'evil.example' } });
      expect(await c.outcome).toBe(421);
    }
  });
});

describe('Origin', () => {
  test('a foreign Origin is refused (403) before the upgrade', async () => {
    for (const origin of ['http://evil.example', 'null', `http://127.0.0.1:${relay.port + 1}`, `http://localhost:${relay.port}`, `https://127.0.0.1:${relay.port}`]) {
      for (const path of ['/live', '/raw']) {
        const c = client(`ws://127.0.0.1:${relay.port}${path}`, { origin });
        expect([origin, path, await c.outcome]).toEqual([origin, path, 403]);
      }
    }
    expect(refusals(relay.inspector).some((l) => l.reason === 'origin not allowed' && l.origin === 'http://evil.example')).toBe(true);
  });

  test('the relay’s own page origin, and a client without an Origin, may view', async () => {
    const page = client(`ws://127.0.0.1:${relay.port}/live`, { origin: `http://127.0.0.1:${relay.port}` });
    expect(await page.outcome).toBe('open');
    const viaLocalhost = client(`ws://localhost:${relay.port}/live`, { origin: `http://localhost:${relay.port}` });
    expect(await viaLocalhost.outcome).toBe('open');
    const node = client(`ws://127.0.0.1:${relay.port}/live`);
    expect(await node.outcome).toBe('open');
    await expect.poll(() => page.messages.length).toBeGreaterThan(0);
    expect(JSON.parse(page.messages[0]!)).toMatchObject({ type: 'hello', diagram: { text: expect.stringContaining('stateDiagram-v2') } });
  });
});

describe('publishing', () => {
  test('a browser-origin client cannot publish, even with the token; a viewer that sends is closed and not relayed', async () => {
    const raw = await rawViewer();
    const withToken = client(relay.ws, { origin: `http://127.0.0.1:${relay.port}` });
    expect(await withToken.outcome).toBe(403);
    const page = client(`ws://127.0.0.1:${relay.port}/live`, { origin: `http://127.0.0.1:${relay.port}` });
    expect(await page.outcome).toBe('open');
    page.ws.send(hello(4343));
    page.ws.send(snapshot(4343, 'boot'));
    expect((await page.closed).code).toBe(1008);
    const pub = await publisher(4444);
    pub.ws.send(snapshot(4444, 'boot'));
    await expect.poll(() => raw.messages.length).toBe(1);
    expect(raw.messages.join('\n')).not.toContain('4343');
  });

  test('a process without the token, or with a wrong one, cannot publish (401)', async () => {
    const raw = await rawViewer();
    for (const url of [`ws://127.0.0.1:${relay.port}/`, `ws://127.0.0.1:${relay.port}/?token=${'x'.repeat(32)}`, `ws://127.0.0.1:${relay.port}/?token=`]) {
      const c = client(url);
      expect([url, await c.outcome]).toEqual([url, 401]);
    }
    expect(refusals(relay.inspector).map((l) => l.reason)).toEqual(expect.arrayContaining(['no token', 'wrong token']));
    expect(raw.messages).toEqual([]);
  });
});

describe('messages', () => {
  test.each([
    { what: 'not JSON', send: () => '{"type":', code: 1007 },
    { what: 'binary', send: () => Buffer.from([1, 2, 3]), code: 1003 },
    { what: 'an inspection event before the hello', send: () => snapshot(5151, 'boot'), code: 1008, noHello: true },
    { what: 'an unknown type', send: () => JSON.stringify({ type: '@evil.thing' }), code: 1008 },
    { what: 'another process’s session', send: () => snapshot(1, 'boot'), code: 1008 },
    { what: 'a state value that is not one', send: () => snapshot(5151, '').replace('""', '[1,2]'), code: 1008 },
    { what: 'an exit code of 9999', send: () => snapshot(5151, 'exited').replace('"context":{}', '"context":{"exitCode":9999}'), code: 1008 },
    { what: 'deeply nested JSON', send: () => JSON.stringify({ type: '@xstate.snapshot', sessionId: '5151:x:0', event: { type: 'X' }, snapshot: { value: JSON.parse('{"a":'.repeat(50) + '"b"' + '}'.repeat(50)) } }), code: 1008 },
    { what: '2 MiB', send: () => JSON.stringify({ type: '@xstate.event', sessionId: '5151:x:0', event: { type: 'x'.repeat(2 * 1024 * 1024) } }), code: 1009 },
  ])('$what closes that publisher ($code); the relay and other clients go on', async ({ send, code, noHello }) => {
    const raw = await rawViewer();
    const bad = noHello ? client(relay.ws) : await publisher(5151);
    expect(await bad.outcome).toBe('open');
    bad.ws.send(send());
    expect((await bad.closed).code).toBe(code);
    const good = await publisher(6161);
    good.ws.send(snapshot(6161, 'boot'));
    await expect.poll(() => raw.messages.some((m) => m.includes('6161:x:0'))).toBe(true);
    expect((await request(relay.port, '/')).status).toBe(200);
    expect(relay.inspector.child.exitCode).toBe(null);
    expect(relay.inspector.lines.filter((l) => l.type === 'inspector-client-closed').length).toBeGreaterThan(0);
  });
});
