/**
 * The service the reliability suite runs, in both modes: the same entry module with `workers: 1`
 * (single-process) and `workers: 2` (node:cluster).
 */
import { makeServiceRoot } from '../helpers/service.js';

/** Every `/work` body ends with this, so a cut-off body is told apart from a complete one. */
export const BODY_END = '"end":"complete"}';

export const RELIABILITY_ENTRY = `
const pad = 'x'.repeat(2048);
const wait = (ms) => new Promise((r) => setTimeout(r, ms));
export default {
  routes: {
    hello: (ctx) => { ctx.body = { hello: 'world', pid: process.pid }; },
    work: async (ctx) => {
      await wait(Math.floor(Math.random() * 51));
      ctx.body = { pid: process.pid, pad, end: 'complete' };
    },
    slow: async (ctx) => {
      const ms = Number(ctx.query.ms ?? 1000);
      await wait(ms);
      ctx.body = { waitedMs: ms, pid: process.pid };
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

const ROUTE_IDS = ['hello', 'work', 'slow', 'boom', 'reject', 'slowBoom'] as const;

export function reliabilityServiceJson(workers: number, extra: Record<string, unknown> = {}) {
  return {
    workers,
    timeout: 10,
    routes: Object.fromEntries(ROUTE_IDS.map((id) => [id, { path: `/${id}`, public: true }])),
    ...extra,
  };
}

export function reliabilityRoot(workers: number) {
  return makeServiceRoot({ serviceJson: reliabilityServiceJson(workers), entry: RELIABILITY_ENTRY });
}

/** Both modes every reliability test runs in. */
export const MODES = [
  { mode: 'single', workers: 1 },
  { mode: 'cluster', workers: 2 },
] as const;
