/**
 * `start --inspect-lifecycle` against a real WebSocket receiver: the events arrive (both modes),
 * the environment does not, and a dead inspector URL neither delays exit nor keeps a process alive;
 * it is said once, and the service connects by itself when `inspect` starts.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { request, sleep } from '../helpers/http.js';
import { CLI, REPO, trackServices, workersOnline } from '../helpers/service.js';
import { fixtureRoot } from '../helpers/fixture.js';
import { deadInspectorUrl, startReceiver } from './receiver.js';

const services = trackServices();
const receivers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await services.cleanup();
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

const BOOT_AND_DRAIN = ['boot', 'resolveWorkers', { servingInline: 'starting' }, { servingInline: 'serving' }, 'draining', 'exited'];

test('single-process: boot, listening, SIGTERM drain and exit reach the receiver; the environment does not', async () => {
  const receiver = await startReceiver();
  receivers.push(receiver);
  const root = fixtureRoot(1);
  const svc = services.start(root, { args: [`--inspect-lifecycle=${receiver.url}`], env: { INSPECTOR_TEST_SECRET: 'hunter2-do-not-send' } });
  await svc.up();
  svc.kill('SIGTERM');
  expect((await svc.exited).code).toBe(15);
  await new Promise((resolve) => setTimeout(resolve, 100));

  const roots = receiver.roots();
  expect(roots.map((r) => r.name)).toEqual([`lifecycle (main ${svc.child.pid})`]);
  expect(receiver.statesOf(roots[0]!.sessionId)).toEqual(BOOT_AND_DRAIN);
  // The transition log still prints next to it: one line per transition, the last into exited.
  const lines = svc.lines.filter((l) => l.type === 'lifecycle');
  for (const line of lines) expect(line).toEqual({ level: 'info', type: 'lifecycle', from: lines.indexOf(line) === 0 ? null : expect.any(String), to: expect.any(String), event: expect.any(String), pid: svc.child.pid, t: expect.any(Number) });
  const logged = lines.map((l) => l.to);
  expect(logged).toEqual(['boot', 'resolveWorkers', 'servingInline.starting', 'servingInline.serving', 'draining', 'exited']);
  expect(receiver.raw.join('\n')).not.toContain('hunter2-do-not-send');
});

test('cluster mode: the primary and every worker appear as their own actors; LIFECYCLE_INSPECT works like the flag', async () => {
  const receiver = await startReceiver();
  receivers.push(receiver);
  const root = fixtureRoot(2);
  const svc = services.start(root, { env: { LIFECYCLE_INSPECT: receiver.url }, args: ['--quiet'] });
  await svc.up();
  await expect.poll(() => receiver.roots().length, { timeout: 10_000 }).toBe(3);
  const names = receiver.roots().map((r) => String(r.name));
  expect(names.filter((n) => n.startsWith('lifecycle (main ')).length).toBe(1);
  expect(names.filter((n) => n.startsWith('lifecycle (worker ')).length).toBe(2);
  for (const worker of receiver.roots().filter((r) => String(r.name).includes('worker'))) {
    await expect.poll(() => receiver.statesOf(worker.sessionId), { timeout: 10_000 }).toContainEqual({ servingInline: 'serving' });
  }
  svc.kill('SIGTERM');
  expect((await svc.exited).code).toBe(15);
  await new Promise((resolve) => setTimeout(resolve, 100));
  const primary = receiver.roots().find((r) => String(r.name).includes('main'))!;
  expect(receiver.statesOf(primary.sessionId)).toEqual(['boot', 'resolveWorkers', { forkingCluster: 'starting' }, { forkingCluster: 'serving' }, 'draining', 'exited']);
  // --quiet reached the workers too: no transition line from anyone.
  expect(svc.lines.filter((l) => l.type === 'lifecycle')).toEqual([]);
});

/** SIGTERM → exit, ms, of a freshly booted service. */
async function exitTime(root: string, args: string[]) {
  const svc = services.start(root, { args });
  await svc.up();
  const sent = performance.now();
  svc.kill('SIGTERM');
  const { code, at } = await svc.exited;
  expect(code).toBe(15);
  return at - sent;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

test('a dead inspector URL does not delay exit', async () => {
  const dead = await deadInspectorUrl();
  const root = fixtureRoot(1);
  const without: number[] = [];
  const withDead: number[] = [];
  for (let round = 0; round < 3; round++) {
    without.push(await exitTime(root, ['--quiet']));
    withDead.push(await exitTime(root, ['--quiet', `--inspect-lifecycle=${dead}`]));
  }
  console.log(`SIGTERM→exit ms, median of 3: without inspector ${median(without).toFixed(1)}, dead URL ${median(withDead).toFixed(1)} (all: ${without.map(Math.round)} / ${withDead.map(Math.round)})`);
  // With nothing listening there is nothing to flush: far below the 250 ms flush budget.
  expect(median(withDead) - median(without)).toBeLessThan(100);
}, 60_000);

test('the inspector connection never keeps a process alive (dead URL and live receiver)', async () => {
  const receiver = await startReceiver();
  receivers.push(receiver);
  const script = (url: string) =>
    `import { connectInspector } from './dist/src/inspector/connect.js';
     const inspector = connectInspector(${JSON.stringify(url)}, { role: 'main' });
     inspector.inspect.next({ type: '@xstate.event', actorRef: { sessionId: 'x:0' }, event: { type: 'PING' }, rootId: 'x:0' });`;
  const run = (url: string) =>
    new Promise<{ code: number | null; ms: number }>((resolve) => {
      const started = performance.now();
      const child = execFile(process.execPath, ['--input-type=module', '-e', script(url)], { cwd: REPO, timeout: 10_000 });
      child.once('exit', (code) => resolve({ code, ms: performance.now() - started }));
    });
  const dead = await run(await deadInspectorUrl());
  const live = await run(receiver.url);
  console.log(`process with an idle inspector ended by itself after ${dead.ms.toFixed(0)} ms (dead URL), ${live.ms.toFixed(0)} ms (live receiver)`);
  // Ended on its own (exit code 0), long before the first retry or the 10 s kill.
  expect(dead.code).toBe(0);
  expect(live.code).toBe(0);
});

test('an unreachable inspector is one inspector-unreachable warning (token hidden, the fix), from the primary only; the service serves', async () => {
  const dead = await deadInspectorUrl();
  const root = fixtureRoot(2);
  const svc = services.start(root, { args: ['--quiet'], env: { LIFECYCLE_INSPECT: `${dead}/?token=sekrit-token-value` } });
  const { port } = await svc.up();
  await workersOnline(svc, 2);
  expect((await request(port, '/hello')).status).toBe(200);
  await sleep(2_500); // two retries of every process
  const warnings = svc.lines.filter((l) => l.type === 'inspector-unreachable');
  expect(warnings).toEqual([
    expect.objectContaining({ level: 'warn', url: `${dead}/?token=…`, error: 'ECONNREFUSED', fix: `start it: service-lifecycle inspect --port ${new URL(dead).port}`, pid: svc.child.pid }),
  ]);
  expect(svc.output()).not.toContain('sekrit-token-value');
  svc.kill('SIGTERM');
  expect((await svc.exited).code).toBe(15);
});

test('a service started before `inspect` connects by itself once it listens (token from the file)', async () => {
  const dead = await deadInspectorUrl();
  const env = { XDG_RUNTIME_DIR: mkdtempSync(join(tmpdir(), 'inspect-token-')) };
  const root = fixtureRoot(1);
  const svc = services.start(root, { args: [`--inspect-lifecycle=${dead}`], env });
  await svc.up();
  await svc.waitForLine((l) => l.type === 'inspector-unreachable');
  const inspector = services.start('', { command: [process.execPath, CLI, 'inspect', '--port', new URL(dead).port], env });
  await inspector.waitForLine((l) => l.type === 'inspected' && l.state === 'servingInline.serving' && l.actor === `lifecycle (main ${svc.child.pid})`);
  svc.kill('SIGTERM');
  await inspector.waitForLine((l) => l.type === 'inspected' && l.state === 'exited');
  expect((await svc.exited).code).toBe(15);
});

test('refused for want of the token (another user’s inspect, say): one inspector-unreachable warning with the status and the fix', async () => {
  const env = { XDG_RUNTIME_DIR: mkdtempSync(join(tmpdir(), 'inspect-token-')) };
  const inspector = services.start('', { command: [process.execPath, CLI, 'inspect', '--port', '0'], env });
  const port = new URL(String((await inspector.waitForLine((l) => l.type === 'inspector-listening')).open)).port;
  const root = fixtureRoot(1);
  // Its own, empty token folder: the relay's token file is not there.
  const svc = services.start(root, { args: ['--quiet', `--inspect-lifecycle=ws://127.0.0.1:${port}`], env: { XDG_RUNTIME_DIR: mkdtempSync(join(tmpdir(), 'inspect-token-')) } });
  await svc.up();
  const warning = await svc.waitForLine((l) => l.type === 'inspector-unreachable');
  expect(warning).toMatchObject({ level: 'warn', url: `ws://127.0.0.1:${port}/`, status: 401, fix: expect.stringContaining('connect line') });
  await sleep(1_500); // a retry, refused again
  expect(svc.lines.filter((l) => l.type === 'inspector-unreachable').length).toBe(1);
  expect(inspector.lines.filter((l) => l.type === 'inspected')).toEqual([]);
  svc.kill('SIGTERM');
  expect((await svc.exited).code).toBe(15);
});
