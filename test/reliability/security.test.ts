/**
 * What the service exposes: the debugger and the lifecycle inspector listen on loopback only (read
 * from /proc, no traffic to other addresses), built-in endpoints reveal no environment, and Node's
 * server timeouts are the configured ones.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { connect, request, sleep } from '../helpers/http.js';
import { freePort } from '../../support/ports.js';
import { isLoopback, listeningSockets } from '../../support/proc.js';
import { CLI, trackServices, workersOnline } from '../helpers/service.js';
import { closedAt, rawGet } from './raw-http.js';
import { fixtureRoot, MODES } from '../helpers/fixture.js';

const services = trackServices();
afterEach(() => services.cleanup());

async function boot(workers: number, env: Record<string, string> = {}, args: string[] = []) {
  const svc = services.start(fixtureRoot(workers), { env, args });
  const { port } = await svc.up();
  if (workers > 1) await workersOnline(svc, workers);
  return { svc, port };
}

describe('listeners bound to loopback only', () => {
  test('the linked-mode debugger listens on 127.0.0.1 only', async () => {
    const inspectPort = await freePort();
    const { svc, port } = await boot(1, { SERVICE_LINKED: '1', INSPECT_PORT: String(inspectPort) });
    await svc.waitForLine((l) => l.type === 'debugger');
    const sockets = listeningSockets(svc.child.pid!);
    const debuggerSockets = sockets.filter((s) => s.port === inspectPort);
    expect(debuggerSockets.length).toBeGreaterThan(0);
    expect(debuggerSockets.filter((s) => !isLoopback(s.address))).toEqual([]);
    // Besides the service's own HTTP port, nothing listens beyond loopback.
    expect(sockets.filter((s) => s.port !== port && !isLoopback(s.address))).toEqual([]);
    svc.kill('SIGTERM');
    expect((await svc.exited).code).toBe(15);
  });

  test('the lifecycle inspector (`inspect`) listens on 127.0.0.1 only; a service connected to it adds no listener', async () => {
    const inspector = services.start('', { command: [process.execPath, CLI, 'inspect', '--port', '0'] });
    const ready = await inspector.waitForLine((l) => l.type === 'inspector-listening');
    const wsPort = Number(new URL(String(ready.ws)).port);
    const sockets = listeningSockets(inspector.child.pid!);
    expect(sockets.map((s) => s.port)).toContain(wsPort);
    expect(sockets.filter((s) => !isLoopback(s.address))).toEqual([]);

    const { svc, port } = await boot(1, {}, [`--inspect-lifecycle=${String(ready.ws)}`]);
    expect(listeningSockets(svc.child.pid!).filter((s) => s.port !== port)).toEqual([]);
    svc.kill('SIGTERM');
    expect((await svc.exited).code).toBe(15);
    inspector.kill('SIGINT');
    await inspector.exited;
  });
});

describe.each(MODES)('$mode mode', ({ workers }) => {
  test('built-in endpoints reveal no environment variable or secret', async () => {
    const secret = `s3cr3t-${Math.random().toString(36).slice(2)}`;
    const { svc, port } = await boot(workers, { RELIABILITY_SECRET_TOKEN: secret, SHUTDOWN_DELAY_MS: '1000' });
    const replies = [
      await request(port, '/healthcheck'),
      await request(port, '/healthcheck', { method: 'HEAD' }),
      await request(port, '/_status'),
      await request(port, '/healthcheck', { method: 'POST' }),
      await request(port, '/no-such-route'),
      await request(port, '/_status?env=1', { headers: { 'x-debug': '1' } }),
    ];
    svc.kill('SIGTERM');
    await svc.waitForLine((l) => l.type === 'draining');
    await sleep(20);
    replies.push(await request(port, '/healthcheck'));
    expect(replies.at(-1)!.status).toBe(503);
    const everything = replies.map((r) => `${r.status} ${JSON.stringify(r.headers)} ${r.body}`).join('\n');
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain('RELIABILITY_SECRET_TOKEN');
    for (const name of ['PATH', 'HOME']) {
      const value = process.env[name];
      if (value) expect(everything).not.toContain(value);
    }
    expect(everything).not.toMatch(/"env"|process\.env/);
    expect((await svc.exited).code).toBe(15);
  });

  test('a slow-headers client is cut off at HEADERS_TIMEOUT_MS', async () => {
    const headersTimeoutMs = 1_000;
    const { svc, port } = await boot(workers, { HEADERS_TIMEOUT_MS: String(headersTimeoutMs) });
    const socket = await connect(port);
    let received = '';
    socket.on('data', (c: Buffer) => (received += c.toString()));
    const closed = closedAt(socket);
    const t0 = performance.now();
    socket.write('GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    // One header line every 200 ms, never the blank line that ends the headers.
    const trickle = setInterval(() => !socket.destroyed && socket.write(`X-Slow-${Math.round(performance.now())}: 1\r\n`), 200);
    const cutAt = await Promise.race([closed, sleep(10_000).then(() => Infinity)]);
    clearInterval(trickle);
    socket.destroy();
    expect(cutAt - t0).toBeGreaterThanOrEqual(headersTimeoutMs - 50);
    // Node checks for expired headers once per connectionsCheckingInterval (set to 500 ms).
    expect(cutAt - t0).toBeLessThan(headersTimeoutMs + 2_000);
    expect(received).toMatch(/^HTTP\/1\.1 408/);
    svc.kill('SIGTERM');
    expect((await svc.exited).code).toBe(15);
  });

  test('KEEP_ALIVE_TIMEOUT_MS sets how long an idle keep-alive socket stays open (plus Node\'s 1 s buffer, on every line)', async () => {
    const keepAliveMs = 1_500;
    // Node closes an idle socket keepAliveTimeout + 1000 ms after its response on 20, 22, 24 and 26
    // (a constant on 20, server.keepAliveTimeoutBuffer from 22, left at its default): the client,
    // told timeout=1, stops reusing it well before the server closes it.
    const nodeBufferMs = 1_000;
    const { svc, port } = await boot(workers, { KEEP_ALIVE_TIMEOUT_MS: String(keepAliveMs) });
    const socket = await connect(port);
    const reply = await rawGet(socket, '/hello');
    const closed = closedAt(socket);
    expect(reply.headers.connection).toBe('keep-alive');
    expect(reply.headers['keep-alive']).toBe(`timeout=${Math.floor(keepAliveMs / 1000)}`);
    const idleFor = (await closed) - reply.at;
    expect(idleFor).toBeGreaterThanOrEqual(keepAliveMs + nodeBufferMs - 50);
    expect(idleFor).toBeLessThan(keepAliveMs + nodeBufferMs + 2_000);
    svc.kill('SIGTERM');
    expect((await svc.exited).code).toBe(15);
  });

  test('the default keepAliveTimeout is 5 s (advertised as timeout=5)', async () => {
    const { svc, port } = await boot(workers);
    const reply = await request(port, '/hello', { headers: { connection: 'keep-alive' } });
    expect(reply.headers['keep-alive']).toBe('timeout=5');
    svc.kill('SIGTERM');
    expect((await svc.exited).code).toBe(15);
  });
});
