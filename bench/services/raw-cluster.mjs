// Variant "raw node:cluster(N)": what services run today. The primary forks N workers and serves
// nothing (it does not load Koa); SIGTERM disconnects every worker (each closes its server) and
// the primary exits after them.
import cluster from 'node:cluster';

if (cluster.isPrimary) {
  const workers = Number(process.argv[2] ?? 1);
  for (let i = 0; i < workers; i++) cluster.fork();
  process.on('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.disconnect();
  });
} else {
  const { koaApp } = await import('./koa-app.mjs');
  koaApp().listen(Number(process.env.PORT), '127.0.0.1');
}
