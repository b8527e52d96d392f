/**
 * Issue 2, section 7: the real CLI on a throwaway service root, with `workers: 1` (or linked mode),
 * real sockets on loopback and real signals. Timing bounds are the issue's own.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { connect, request, sleep, upReceiver } from '../helpers/http.js';
import { freePort, holdPort } from '../../support/ports.js';
import { childPids, listeningSockets, parentPid } from '../../support/proc.js';
import { FIXTURE_ENTRY, fixtureRoot } from '../helpers/fixture.js';
import { makeServiceRoot, REPO, trackServices, type LogLine, type RunningService } from '../helpers/service.js';

const services = trackServices();
afterEach(() => services.cleanup());

const ofType = (type: string) => (line: LogLine) => line.type === type;
const parse = (body: string) => JSON.parse(body) as Record<string, unknown>;

/** Every line the process wrote is one JSON object. */
function expectJsonLinesOnly(svc: RunningService) {
  for (const text of svc.output().split('\n').filter(Boolean)) expect(() => JSON.parse(text), text).not.toThrow();
}

describe('workers: 1 serves from the main process', () => {
  let svc: RunningService;
  let port: number;
  let receiver: Awaited<ReturnType<typeof upReceiver>>;
  // Its own tracker: afterEach must not kill the service shared by this block's tests.
  const shared = trackServices();

  beforeAll(async () => {
    receiver = await upReceiver();
    const root = fixtureRoot(1, { deterministicVary: true });
    svc = shared.start(root, { env: { LIFECYCLE_UP_URL: receiver.url, DETERMINISTIC_VARY: undefined } });
    port = (await svc.up()).port;
  });
  afterAll(async () => {
    await shared.cleanup();
    await receiver.close();
  });

  test('the up line carries the decision, then the routes line follows', async () => {
    const up = await svc.waitForLine(ofType('up'));
    expect(up).toMatchObject({ level: 'info', mode: 'single', workers: 1, pid: svc.child.pid, port });
    const routes = await svc.waitForLine(ofType('routes'));
    expect(routes.routes).toEqual([
      { id: 'hello', path: '/hello', public: true },
      { id: 'slow', path: '/slow', public: true },
      { id: 'once', path: '/once', public: false },
      { id: 'vary', path: '/vary', public: false },
      { id: 'send', path: '/send', public: false },
      { id: 'stuck', path: '/stuck', public: false },
      { id: 'work', path: '/work', public: false },
      { id: 'boom', path: '/boom', public: false },
      { id: 'reject', path: '/reject', public: false },
      { id: 'slowBoom', path: '/slowBoom', public: false },
    ]);
    expect(routes.builtins).toEqual(['/healthcheck', '/_status']);
    expect(svc.lines.indexOf(routes)).toBeGreaterThan(svc.lines.indexOf(up));
  });

  test('no child processes, and a route answers 200 from the main pid', async () => {
    const reply = await request(port, '/hello');
    expect(reply.status).toBe(200);
    expect(parse(reply.body)).toEqual({ hello: 'world', pid: svc.child.pid });
    expect(childPids(svc.child.pid!)).toEqual([]);
  });

  test('only the HTTP port listens (no debugger outside linked mode)', () => {
    expect(listeningSockets(svc.child.pid!).map((s) => s.port)).toEqual([port]);
  });

  test('/healthcheck answers 200 with the routes and events', async () => {
    const reply = await request(port, '/healthcheck');
    expect(reply.status).toBe(200);
    expect(parse(reply.body)).toEqual({
      routes: { hello: '/hello', slow: '/slow', once: '/once', vary: '/vary', send: '/send', stuck: '/stuck', work: '/work', boom: '/boom', reject: '/reject', slowBoom: '/slowBoom' },
      events: [],
    });
  });

  test('LIFECYCLE_UP_URL receives exactly one POST of {"statusTrack":true}', async () => {
    await svc.waitForLine(ofType('up-notified'));
    await sleep(300); // a second POST would have arrived by now
    expect(receiver.received).toEqual([{ method: 'POST', url: '/up', contentType: 'application/json', body: '{"statusTrack":true}' }]);
  });

  test('/_status answers 200 and logs one metric/status line for this process', async () => {
    const before = svc.lines.filter(ofType('metric/status')).length;
    const reply = await request(port, '/_status');
    expect(reply.status).toBe(200);
    const status = await svc.waitForLine((l) => l.type === 'metric/status' && svc.lines.filter(ofType('metric/status')).length > before);
    expect(status).toMatchObject({ level: 'info', pid: svc.child.pid, mode: 'single' });
    for (const field of ['rss', 'heapUsed', 'heapTotal', 'uptime']) expect(status[field]).toBeGreaterThan(0);
    expect(status.openConnections).toBeGreaterThanOrEqual(1);
    expect(status.requestsServed).toBeGreaterThanOrEqual(1);
  });

  test('log-once prints a message once however often it is called', async () => {
    for (let i = 0; i < 3; i++) expect((await request(port, '/once')).status).toBe(200);
    await svc.waitForLine(ofType('log-once'));
    await sleep(100);
    expect(svc.lines.filter(ofType('log-once')).map((l) => l.message)).toEqual(['said once']);
  });

  test('deterministicVary: true sets DETERMINISTIC_VARY=true before the entry module is imported', async () => {
    expect(parse((await request(port, '/vary')).body)).toEqual({ varyAtImport: 'true' });
  });

  test('every line written is one JSON object', () => {
    expectJsonLinesOnly(svc);
  });
});

/**
 * Far above a prompt exit on a busy machine, far below what a drain that waits would take (the 5 s
 * keep-alive timeout, the 10 s deadline). How prompt the exit is, is a benchmark figure (BENCHMARKS.md).
 */
const PROMPT_EXIT_MS = 2_000;

/** Resolves with performance.now() once a new connection to `port` is refused (polls; gives up after 5 s). */
async function refusedAt(port: number) {
  for (let i = 0; i < 500; i++) {
    const outcome = await connect(port).then(
      (socket) => (socket.destroy(), undefined),
      (err: NodeJS.ErrnoException) => err.code,
    );
    if (outcome === 'ECONNREFUSED') return performance.now();
    await sleep(10);
  }
  throw new Error(`port ${port} still accepts connections 5 s into the drain`);
}

describe('drain on SIGTERM', () => {
  test('a 1 s request in flight completes with 200 and Connection: close; new connections are refused before it completes; exit 15 after it', async () => {
    const svc = services.start(fixtureRoot(1));
    const { port } = await svc.up();
    const agent = new http.Agent({ keepAlive: true });
    const slow = request(port, '/slow?ms=1000', { agent });
    await svc.waitForLine(ofType('slow-start')); // the request is on the server now
    svc.kill('SIGTERM');
    await svc.waitForLine(ofType('draining'));
    const refused = await refusedAt(port);
    const reply = await slow;
    expect(reply.status).toBe(200);
    expect(reply.headers.connection).toBe('close');
    expect(refused, 'the listener closed while the request was still in flight').toBeLessThan(reply.at);
    const exit = await svc.exited;
    agent.destroy();
    expect(exit.code).toBe(15);
    const afterResponseMs = exit.at - reply.at;
    console.log(`exit ${afterResponseMs.toFixed(1)} ms after the last response`);
    expect(afterResponseMs).toBeGreaterThanOrEqual(0);
    expect(afterResponseMs).toBeLessThan(PROMPT_EXIT_MS);
  });

  test('an idle keep-alive connection does not delay exit to its keep-alive timeout', async () => {
    const svc = services.start(fixtureRoot(1));
    const { port } = await svc.up();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const reply = await request(port, '/hello', { agent });
    expect(reply.headers.connection).toBe('keep-alive');
    // Idle for half a second: the drain may give a socket that answered a moment ago a short grace
    // for a request already on the wire; this one is idle, and must not hold the exit back.
    await sleep(500);
    expect(Object.values(agent.freeSockets).flat()).toHaveLength(1); // idle, still open
    const sentAt = performance.now();
    svc.kill('SIGTERM');
    const exit = await svc.exited;
    agent.destroy();
    expect(exit.code).toBe(15);
    const exitMs = exit.at - sentAt;
    console.log(`idle keep-alive: exit ${exitMs.toFixed(1)} ms after SIGTERM`);
    expect(exitMs).toBeLessThan(PROMPT_EXIT_MS);
  });

  test('SHUTDOWN_DELAY_MS=1000: /healthcheck answers 503 during the delay while other routes answer 200, all with Connection: close', async () => {
    const svc = services.start(fixtureRoot(1), { env: { SHUTDOWN_DELAY_MS: '1000' } });
    const { port } = await svc.up();
    const sentAt = performance.now();
    svc.kill('SIGTERM');
    expect(await svc.waitForLine(ofType('draining'))).toMatchObject({ signal: 'SIGTERM', delayMs: 1000 });
    const health = await request(port, '/healthcheck');
    // A new connection, accepted: the listener is still open (after the delay it refuses, as above).
    const hello = await request(port, '/hello');
    expect(health.status).toBe(503);
    expect(parse(health.body)).toEqual({ status: 'draining' });
    expect(health.headers.connection).toBe('close');
    expect(hello.status).toBe(200);
    expect(hello.headers.connection).toBe('close');
    const exit = await svc.exited;
    expect(exit.code).toBe(15);
    expect(exit.at - sentAt).toBeGreaterThanOrEqual(1000); // the listener stayed open for the delay
  });

  test('SIGINT exits 2', async () => {
    const svc = services.start(fixtureRoot(1));
    await svc.up();
    svc.kill('SIGINT');
    expect((await svc.exited).code).toBe(2);
    expect(await svc.waitForLine(ofType('exit'))).toMatchObject({ code: 2 });
  });
});

describe('failures: one clear line and a documented exit code', () => {
  test('a port already in use exits 69 naming the port', async () => {
    const blocker = await holdPort('127.0.0.1');
    const { port } = blocker;
    try {
      const svc = services.start(fixtureRoot(1), { env: { PORT: String(port) } });
      expect((await svc.exited).code).toBe(69);
      const failed = await svc.waitForLine(ofType('boot-failed'));
      expect(failed).toMatchObject({ level: 'error', field: 'PORT' });
      expect(failed.message).toBe(`PORT ${port} is already in use; stop the other process or set PORT to a free port`);
      expect(svc.lines.filter(ofType('up'))).toEqual([]);
    } finally {
      await blocker.close();
    }
  });

  test('a route id in the module but not in service.json fails boot with exit 78 naming the id', async () => {
    const entry = `export default { routes: { hello: (ctx) => { ctx.body = 'hi'; }, extra: (ctx) => { ctx.body = 'x'; } } };`;
    const svc = services.start(makeServiceRoot({ serviceJson: { workers: 1, routes: { hello: { path: '/hello' } } }, entry }));
    expect((await svc.exited).code).toBe(78);
    const failed = await svc.waitForLine(ofType('boot-failed'));
    expect(failed).toMatchObject({ level: 'error', field: 'routes.extra' });
    expect(failed.message).toMatch(/route "extra" is not declared in service\.json/);
    expectJsonLinesOnly(svc);
  });

  test('an invalid service.json exits 78 with one line per problem, naming field, value and fix', async () => {
    const svc = services.start(makeServiceRoot({ serviceJson: { workers: 1, memory: 'lots', routes: { hello: { path: 'hello' } } }, entry: FIXTURE_ENTRY }));
    expect((await svc.exited).code).toBe(78);
    const failed = svc.lines.filter(ofType('boot-failed'));
    expect(failed.map((l) => l.field)).toEqual(['memory', 'routes.hello.path']);
    expect(failed[0]!.message).toMatch(/service\.json: "memory" is "lots"; expected a positive integer/);
    expect(failed[1]!.message).toMatch(/service\.json: "routes\.hello\.path" is "hello"; expected a path starting with "\/"/);
    expectJsonLinesOnly(svc);
  });

  test('a bad environment variable exits 64 naming it', async () => {
    const svc = services.start(fixtureRoot(1), { env: { SHUTDOWN_DELAY_MS: 'soon' } });
    expect((await svc.exited).code).toBe(64);
    expect(await svc.waitForLine(ofType('boot-failed'))).toMatchObject({ field: 'SHUTDOWN_DELAY_MS', message: 'SHUTDOWN_DELAY_MS is "soon"; expected milliseconds from 0 to 600000' });
  });

  test('a dead LIFECYCLE_UP_URL is logged and the service keeps serving', async () => {
    const url = `http://127.0.0.1:${await freePort()}/up`;
    const svc = services.start(fixtureRoot(1), { env: { LIFECYCLE_UP_URL: url } });
    const { port } = await svc.up();
    expect(await svc.waitForLine(ofType('up-notify-failed'))).toMatchObject({ level: 'warn', url });
    expect((await request(port, '/hello')).status).toBe(200);
    expect(svc.child.exitCode).toBe(null);
  });

  test('an unhandled rejection is logged and the service keeps serving; an uncaught exception exits 70', async () => {
    const entry = `export default { routes: {
      reject: (ctx) => { Promise.reject(new Error('nobody waits for me')); ctx.body = 'ok'; },
      crash: (ctx) => { setTimeout(() => { throw new Error('thrown outside any request'); }, 10); ctx.body = 'ok'; },
    } };`;
    const svc = services.start(makeServiceRoot({ serviceJson: { workers: 1, routes: { reject: { path: '/reject' }, crash: { path: '/crash' } } }, entry }));
    const { port } = await svc.up();
    expect((await request(port, '/reject')).status).toBe(200);
    expect(await svc.waitForLine(ofType('unhandled-rejection'))).toMatchObject({ level: 'warn', error: 'Error: nobody waits for me' });
    expect((await request(port, '/reject')).status).toBe(200);
    expect((await request(port, '/crash')).status).toBe(200);
    expect((await svc.exited).code).toBe(70);
    expect(await svc.waitForLine(ofType('crash'))).toMatchObject({ level: 'error', error: 'Error: thrown outside any request' });
  });
});

describe('entry modules', () => {
  test.each([
    ['index.ts', `type Ctx = { body: unknown };\nconst hello = (ctx: Ctx): void => { ctx.body = { from: 'ts', pid: process.pid }; };\nexport default { routes: { hello } };`, 'ts'],
    ['index.cjs', `module.exports = { routes: { hello: (ctx) => { ctx.body = { from: 'cjs', pid: process.pid }; } } };`, 'cjs'],
  ])('an %s entry serves', async (entryName, entry, from) => {
    const svc = services.start(makeServiceRoot({ serviceJson: { workers: 1, routes: { hello: { path: '/hello' } } }, entry, entryName }));
    const { port } = await svc.up();
    const reply = await request(port, '/hello');
    expect(reply.status).toBe(200);
    expect(parse(reply.body)).toEqual({ from, pid: svc.child.pid });
  });
});

describe('linked mode', () => {
  test('with workers: 4 still one process; the debugger answers on 127.0.0.1:5858, bound to loopback only', async () => {
    const root = fixtureRoot(4);
    for (const linked of [{ SERVICE_LINKED: '1', VTEX_APP_LINK: undefined }, { VTEX_APP_LINK: '1', SERVICE_LINKED: undefined }]) {
      const svc = services.start(root, { env: { ...linked, INSPECT_PORT: undefined } });
      const { port, line } = await svc.up();
      const pid = svc.child.pid!;
      expect(line).toMatchObject({ mode: 'single', workers: 1, pid });
      expect(childPids(pid)).toEqual([]);
      expect(parse((await request(port, '/hello')).body).pid).toBe(pid);
      expect(await svc.waitForLine(ofType('debugger'))).toMatchObject({ host: '127.0.0.1', port: 5858 });

      const list = await request(5858, '/json/list');
      expect(list.status).toBe(200);
      const targets = JSON.parse(list.body) as Array<{ webSocketDebuggerUrl: string }>;
      expect(targets.length).toBeGreaterThanOrEqual(1);
      expect(targets[0]!.webSocketDebuggerUrl).toMatch(/^ws:\/\/127\.0\.0\.1:5858\//);

      const sockets = listeningSockets(pid);
      expect(sockets.filter((s) => s.port === 5858)).toEqual([{ address: '127.0.0.1', port: 5858 }]);
      expect(sockets.map((s) => s.port).sort()).toEqual([port, 5858].sort());

      svc.kill('SIGTERM');
      expect((await svc.exited).code).toBe(15); // frees 5858 for the next round
    }
  });

  test('node started with --inspect keeps its own debugger and opens no second one', async () => {
    const inspectPort = await freePort();
    const svc = services.start(fixtureRoot(1), {
      env: { SERVICE_LINKED: '1', INSPECT_PORT: String(inspectPort) },
      nodeArgs: ['--inspect=127.0.0.1:0'],
    });
    const { port } = await svc.up();
    const line = await svc.waitForLine(ofType('debugger'));
    expect(line.note).toMatch(/started with --inspect/);
    const inspectors = listeningSockets(svc.child.pid!).filter((s) => s.port !== port);
    expect(inspectors).toHaveLength(1);
    expect(inspectors[0]!.address).toBe('127.0.0.1');
    expect(String(line.url)).toContain(`127.0.0.1:${inspectors[0]!.port}/`);
  });
});

describe('the bin', () => {
  const bin = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin['service-lifecycle']!;

  test('package.json bin runs the service itself: the pid that answers is the pid spawned', async () => {
    const root = fixtureRoot(1);
    const svc = services.start(root, { command: [process.execPath, join(REPO, bin), 'start', root] });
    const { port } = await svc.up();
    expect(parse((await request(port, '/hello')).body).pid).toBe(svc.child.pid);
    expect(childPids(svc.child.pid!)).toEqual([]);
  });

  test('`npx service-lifecycle start <root>` from the repo root serves, from a node process running the bin without a wrapper', async () => {
    const root = fixtureRoot(1);
    // --no: never fetch a same-named package from the registry if the local bin were not found.
    const npx = services.start(root, { command: ['npx', '--no', 'service-lifecycle', 'start', root], cwd: REPO });
    const { port, line } = await npx.up(20_000);
    const pid = line.pid as number;
    try {
      expect(parse((await request(port, '/hello')).body).pid).toBe(pid);
      // npm exec runs the bin through a shell; the node process serving is the bin itself.
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      expect(cmdline.slice(1, 4)).toEqual([expect.stringMatching(/service-lifecycle$/), 'start', root]);
      expect(childPids(pid)).toEqual([]);
      let ancestor = pid;
      while (ancestor > 1 && ancestor !== npx.child.pid) ancestor = parentPid(ancestor) ?? 0; // 0: gone, not a descendant
      expect(ancestor).toBe(npx.child.pid);
      process.kill(pid, 'SIGTERM');
      expect((await npx.exited).code).toBe(15);
    } finally {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
});
