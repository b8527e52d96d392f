/** Starting a real cluster-mode service for the tests in this folder. */
import { helloServiceJson, makeServiceRoot, workersOnline, type RunningService, type trackServices } from '../helpers/service.js';

/**
 * HELLO_ENTRY plus: `/slow` logs `slow-start` when a request arrives, `/send` posts a message of
 * its own over the IPC channel, `/once` logs a message through ctx.logOnce, `/stuck?ms=N` blocks the
 * worker's event loop (so it cannot react to signals) for N ms without using CPU.
 */
export const CLUSTER_ENTRY = `
const line = (type) => process.stdout.write(JSON.stringify({ type, pid: process.pid }) + '\\n');
export default {
  routes: {
    hello: (ctx) => { ctx.body = { hello: 'world', pid: process.pid }; },
    slow: async (ctx) => {
      line('slow-start');
      const ms = Number(ctx.query.ms ?? 1000);
      await new Promise((r) => setTimeout(r, ms));
      ctx.body = { waitedMs: ms, pid: process.pid };
    },
    send: (ctx) => { process.send({ hello: 'primary', from: process.pid }); ctx.body = { sent: true, pid: process.pid }; },
    once: (ctx) => { ctx.logOnce('deprecated setting used'); ctx.body = { pid: process.pid }; },
    stuck: (ctx) => {
      line('stuck-start');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.min(Number(ctx.query.ms ?? 1000), 10000));
      ctx.body = { pid: process.pid };
    },
  },
};
`;

export const clusterServiceJson = (workers: number) =>
  helloServiceJson({
    workers,
    routes: {
      hello: { path: '/hello', public: true },
      slow: { path: '/slow', public: true },
      send: { path: '/send', public: true },
      once: { path: '/once', public: true },
      stuck: { path: '/stuck', public: true },
    },
  });

/** Starts `workers` workers of CLUSTER_ENTRY (or `entry`) and waits until all of them listen. */
export async function startCluster(
  services: ReturnType<typeof trackServices>,
  opts: { workers?: number; entry?: string; env?: Record<string, string>; nodeArgs?: string[] } = {},
) {
  const workers = opts.workers ?? 2;
  const root = makeServiceRoot({ serviceJson: clusterServiceJson(workers), entry: opts.entry ?? CLUSTER_ENTRY });
  const svc = services.start(root, { env: opts.env, nodeArgs: opts.nodeArgs });
  const { port, line } = await svc.up();
  const online = await workersOnline(svc, workers);
  return { svc, port, up: line, workerPids: online.map((l) => l.workerPid as number) };
}

/** Log lines of one type written by process `pid`. */
export const linesOf = (svc: RunningService, type: string, pid?: number) =>
  svc.lines.filter((l) => l.type === type && (pid === undefined || l.pid === pid));
