/**
 * The one service every suite runs: one entry module with the routes all of them need, the same
 * module with `workers: 1` (single-process) and `workers: 2` or more (node:cluster). Tests of an
 * entry module's own shape or loading write their own entry instead.
 */
import { makeServiceRoot } from './service.js';

/** Every `/work` body ends with this, so a cut-off body is told apart from a complete one. */
export const BODY_END = '"end":"complete"}';

/**
 * Routes, each at `/<id>`, in service.json order (pid: the process that served the request):
 * - hello: answers `{ hello: 'world', pid }`.
 * - slow?ms=N (default 1000): logs a `slow-start` line as the request arrives, answers `{ waitedMs, pid }` N ms later.
 * - once: calls ctx.logOnce('said once') twice, answers `{ pid }`; one `log-once` line per process (per cluster).
 * - vary: answers `{ varyAtImport }`, what DETERMINISTIC_VARY was when the module was imported (null: unset).
 * - send: cluster workers only: posts `{ hello: 'primary', from: pid }` over the IPC channel, answers `{ sent: true, pid }`.
 * - stuck?ms=N (default 1000, at most 10000): logs `stuck-start`, then blocks the event loop N ms without using CPU.
 * - work: waits 0–50 ms at random, answers `{ pid, pad, end }`, 2 KiB ending with BODY_END.
 * - boom?tag=T: answers `{ pid }`, then throws `route-boom-T` outside any request (an uncaught exception).
 * - reject?tag=T: leaves a promise rejected with `route-rejection-T` unhandled, answers `{ pid }`.
 * - slowBoom?ms=N&tag=T (default 300): throws `drain-boom-T` outside any request after N ms, while the request waits N + 5000 ms.
 */
export const FIXTURE_ENTRY = `
const line = (type) => process.stdout.write(JSON.stringify({ type, pid: process.pid }) + '\\n');
const wait = (ms) => new Promise((r) => setTimeout(r, ms));
const pad = 'x'.repeat(2048);
const varyAtImport = process.env.DETERMINISTIC_VARY ?? null;
export default {
  routes: {
    hello: (ctx) => { ctx.body = { hello: 'world', pid: process.pid }; },
    slow: async (ctx) => {
      line('slow-start');
      const ms = Number(ctx.query.ms ?? 1000);
      await wait(ms);
      ctx.body = { waitedMs: ms, pid: process.pid };
    },
    once: (ctx) => { ctx.logOnce('said once'); ctx.logOnce('said once'); ctx.body = { pid: process.pid }; },
    vary: (ctx) => { ctx.body = { varyAtImport }; },
    send: (ctx) => { process.send({ hello: 'primary', from: process.pid }); ctx.body = { sent: true, pid: process.pid }; },
    stuck: (ctx) => {
      line('stuck-start');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.min(Number(ctx.query.ms ?? 1000), 10000));
      ctx.body = { pid: process.pid };
    },
    work: async (ctx) => {
      await wait(Math.floor(Math.random() * 51));
      ctx.body = { pid: process.pid, pad, end: 'complete' };
    },
    boom: (ctx) => {
      setImmediate(() => { throw new Error('route-boom-' + ctx.query.tag); });
      ctx.body = { pid: process.pid };
    },
    reject: (ctx) => {
      Promise.reject(new Error('route-rejection-' + ctx.query.tag));
      ctx.body = { pid: process.pid };
    },
    slowBoom: async (ctx) => {
      const ms = Number(ctx.query.ms ?? 300);
      setTimeout(() => { throw new Error('drain-boom-' + ctx.query.tag); }, ms);
      await wait(ms + 5_000);
      ctx.body = { pid: process.pid };
    },
  },
};
`;

const ROUTE_IDS = ['hello', 'slow', 'once', 'vary', 'send', 'stuck', 'work', 'boom', 'reject', 'slowBoom'] as const;
/** Declared `"public": true`; the others leave `public` out, so the default (false) is seen too. */
const PUBLIC = new Set<string>(['hello', 'slow']);

/** service.json for FIXTURE_ENTRY: every route, a 10 s timeout, then `extra` (which may override any of them). */
export function fixtureServiceJson(workers: number, extra: Record<string, unknown> = {}) {
  return {
    workers,
    timeout: 10,
    routes: Object.fromEntries(ROUTE_IDS.map((id) => [id, PUBLIC.has(id) ? { path: `/${id}`, public: true } : { path: `/${id}` }])),
    ...extra,
  };
}

/** A new service root with FIXTURE_ENTRY and its service.json. */
export function fixtureRoot(workers: number, extra?: Record<string, unknown>) {
  return makeServiceRoot({ serviceJson: fixtureServiceJson(workers, extra), entry: FIXTURE_ENTRY });
}

/** Both modes a suite runs the fixture in. */
export const MODES = [
  { mode: 'single', workers: 1 },
  { mode: 'cluster', workers: 2 },
] as const;
