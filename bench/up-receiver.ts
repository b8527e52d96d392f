/**
 * The platform's local receiver of the SDK's up notification (`POST localhost:5000/_up`), for the
 * vtex variants: without it the SDK's worker crashes on the failed POST (no error handler, exit 420)
 * and its primary re-forks it, a crash loop. Ours would only warn, but gets the same receiver. On
 * loopback only, both families `localhost` may resolve to.
 */
import { createServer, type Server } from 'node:http';

const UP_PORT = 5000;

export async function startUpReceiver(log: (message: string) => void): Promise<{ close(): Promise<void> }> {
  const servers: Server[] = [];
  for (const host of ['127.0.0.1', '::1']) {
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
    });
    const bound = await new Promise<boolean>((resolve) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        log(`up receiver: ${host}:${UP_PORT} ${err.code}; the SDK's POST goes to whatever holds it`);
        resolve(false);
      });
      server.listen(UP_PORT, host, () => resolve(true));
    });
    if (bound) servers.push(server);
  }
  return { close: () => Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())))).then(() => undefined) };
}
