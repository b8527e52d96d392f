// A minimal platform SDK on service-lifecycle: its own route table, its own Koa app and middleware,
// booted through the lifecycle statechart with the package's public exports only.
//   node index.mjs          PORT (default 5050), WORKERS (default 1: one process; 2 or more: a cluster)
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Koa from 'koa';
import { createActor } from 'xstate';
import { lifecycleMachine } from 'service-lifecycle/machine';
import { appActors, clusterRole } from 'service-lifecycle/embed';

/** This SDK declares routes as "METHOD /path" → handler. */
const routes = {
  'GET /healthcheck': (ctx) => {
    ctx.body = { status: 'ok' }; // while draining, service-lifecycle answers 503 before the app
  },
  'GET /hello': (ctx) => {
    ctx.body = { hello: 'world', pid: process.pid };
  },
  'GET /slow': async (ctx) => {
    const ms = Math.max(0, Math.min(Number(ctx.query.ms) || 0, 60_000));
    await new Promise((resolve) => setTimeout(resolve, ms));
    ctx.body = { waitedMs: ms, pid: process.pid };
  },
};

/** Built once in every process that serves: this one when WORKERS=1, else each worker. */
function buildApp({ channel }) {
  const app = new Koa();
  app.use(async (ctx, next) => {
    const started = performance.now();
    await next();
    ctx.set('X-Response-Time', `${(performance.now() - started).toFixed(1)} ms`);
  });
  app.use(async (ctx, next) => {
    const handler = routes[`${ctx.method === 'HEAD' ? 'GET' : ctx.method} ${ctx.path}`];
    if (!handler) return next();
    channel.logOnce(`first ${ctx.method} ${ctx.path}`); // once per process, or once per cluster
    await handler(ctx);
  });
  return app.callback();
}

const machine = lifecycleMachine.provide({
  actors: appActors({
    // The SDK's own config source: no service.json file here.
    serviceJson: () => ({ workers: Number(process.env.WORKERS || 1), timeout: 30 }),
    app: buildApp,
    healthPath: '/healthcheck',
    // In cluster mode the primary forks this same file; clusterRole() tells the two apart.
    workerEntry: fileURLToPath(import.meta.url),
  }),
});

createActor(machine, { input: { root: dirname(fileURLToPath(import.meta.url)), role: clusterRole() } }).start();
