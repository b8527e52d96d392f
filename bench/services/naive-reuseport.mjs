// A reusePort cluster without our drain, for bench/reuseport-hazards.ts: the primary forks N workers,
// each listens on PORT with reusePort (Node 22.12+) and serves the reliability load's /work route
// (test/helpers/fixture.ts: 0-50 ms, 2 KiB ending "end":"complete"}). SIGTERM reaches every worker,
// which closes its listener at once, as a plain `server.close()` does: what was still in its accept
// queue is reset by the kernel. Lines as ours writes them: `up` once every worker listens, one
// `drained` line (connectionsAccepted) per worker.
import cluster from 'node:cluster';
import http from 'node:http';

const line = (type, fields) => process.stdout.write(JSON.stringify({ type, ...fields, pid: process.pid }) + '\n');

if (cluster.isPrimary) {
  const count = Number(process.argv[2] ?? 2);
  let listening = 0;
  for (let i = 0; i < count; i++) {
    cluster.fork().on('message', (message) => {
      if (++listening === count) line('up', { port: message.port });
    });
  }
  process.on('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  });
  cluster.on('exit', () => Object.keys(cluster.workers ?? {}).length === 0 && process.exit(15));
} else {
  const pad = 'x'.repeat(2048);
  let accepted = 0;
  let draining = false;
  const server = http.createServer(async (req, res) => {
    await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 51)));
    const body = JSON.stringify({ pid: process.pid, pad, end: 'complete' });
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...(draining ? { Connection: 'close' } : {}) });
    res.end(body);
  });
  server.on('connection', () => accepted++);
  server.listen({ port: Number(process.env.PORT), reusePort: true }, () => process.send({ port: server.address().port }));
  process.on('SIGTERM', () => {
    draining = true;
    server.close(() => {
      line('drained', { connectionsAccepted: accepted });
      process.exit(15);
    });
  });
}
