/**
 * `serveHttp`: any request listener served with the drain, on a real socket. The readiness flip is
 * the drain's, not the app's: once draining, the health path answers 503 before the app sees it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, test } from 'vitest';
import { readRuntimeEnv } from '../../src/config/env.js';
import { LifecycleError } from '../../src/core/errors.js';
import { EXIT } from '../../src/core/exit-codes.js';
import type { HttpRunner } from '../../src/core/types.js';
import { serveHttp, type ServeOptions } from '../../src/serving/http-runner.js';
import { request } from '../helpers/http.js';
import { holdPort } from '../../support/ports.js';

const runtime = { ...readRuntimeEnv({}), port: 0 };
/** A plain listener (no Koa): answers every request with what it saw. */
const echo = (req: IncomingMessage, res: ServerResponse) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ app: true, method: req.method, url: req.url }));
};

let runners: HttpRunner[] = [];
afterEach(async () => {
  await Promise.all(runners.map((runner) => runner.drain({ signal: 'SIGTERM', deadlineMs: 1_000, delayMs: 0 })));
  runners = [];
});

async function serve(options: Partial<ServeOptions> = {}) {
  const runner = await serveHttp(echo, { runtime, ...options });
  runners.push(runner);
  return runner;
}

describe('the readiness flip on the health path', () => {
  test('before the drain the app answers the health path; after beginDrain the drain answers 503 first', async () => {
    const runner = await serve();
    const before = await request(runner.port, '/healthcheck');
    expect(before.status).toBe(200);
    expect(JSON.parse(before.body)).toMatchObject({ app: true });

    runner.beginDrain('SIGTERM');
    const after = await request(runner.port, '/healthcheck?probe=1');
    expect(after.status).toBe(503);
    expect(JSON.parse(after.body)).toEqual({ status: 'draining' });
    expect(after.headers['cache-control']).toBe('no-store');
    expect(after.headers.connection).toBe('close');
    const head = await request(runner.port, '/healthcheck', { method: 'HEAD' });
    expect([head.status, head.body]).toEqual([503, '']);
    // Other paths and methods still reach the app, each with Connection: close.
    const post = await request(runner.port, '/healthcheck', { method: 'POST' });
    expect([post.status, JSON.parse(post.body).app, post.headers.connection]).toEqual([200, true, 'close']);
    const other = await request(runner.port, '/other');
    expect([other.status, other.headers.connection]).toEqual([200, 'close']);
  });

  test('a configured path flips instead of /healthcheck', async () => {
    const runner = await serve({ healthPath: '/ready' });
    runner.beginDrain('SIGTERM');
    expect((await request(runner.port, '/ready')).status).toBe(503);
    expect((await request(runner.port, '/healthcheck')).status).toBe(200);
  });

  test('healthPath false: the app answers every path, draining or not', async () => {
    const runner = await serve({ healthPath: false });
    runner.beginDrain('SIGTERM');
    const reply = await request(runner.port, '/healthcheck');
    expect([reply.status, JSON.parse(reply.body).app]).toEqual([200, true]);
  });
});

test('drain() resolves once the listener is closed, and counts what it served', async () => {
  const runner = await serve();
  await request(runner.port, '/a');
  expect(runner.stats()).toMatchObject({ requestsServed: 1 });
  await runner.drain({ signal: 'SIGTERM', deadlineMs: 5_000, delayMs: 0 });
  await expect(request(runner.port, '/a')).rejects.toThrow(/ECONNREFUSED/);
  runners = [];
});

test('a port that is taken rejects with the listen exit code, naming the port', async () => {
  const blocker = await holdPort();
  const { port } = blocker;
  try {
    const err = await serveHttp(echo, { runtime: { ...runtime, port } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LifecycleError);
    expect((err as LifecycleError).exitCode).toBe(EXIT.LISTEN_FAILED);
    expect((err as LifecycleError).message).toBe(`PORT ${port} is already in use; stop the other process or set PORT to a free port`);
  } finally {
    await blocker.close();
  }
});
