// The bare Koa app the baseline variants listen with: no router, no lifecycle.
import Koa from 'koa';
import { paths, routes } from './handlers.mjs';

const byPath = new Map(Object.entries(paths).map(([id, path]) => [path, routes[id]]));

export function koaApp() {
  const app = new Koa();
  app.use((ctx, next) => (byPath.get(ctx.path) ?? next)(ctx, next));
  return app;
}

/** Listens on PORT; SIGTERM closes the server and the process ends when nothing is left. */
export function listenUntilSigterm() {
  const server = koaApp().listen(Number(process.env.PORT), '127.0.0.1');
  process.on('SIGTERM', () => server.close());
  return server;
}
