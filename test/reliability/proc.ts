/**
 * For the reliability suite: a service's exit with its output read to the end, and ports nothing
 * listens on. What /proc says about processes comes from support/proc.ts.
 */
import net from 'node:net';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { sleep } from '../helpers/http.js';
import type { RunningService } from '../helpers/service.js';

/**
 * Resolves once the process exited and its stdout/stderr were read to the end: `exited` follows
 * the 'exit' event, which can come before the last lines were read from the pipes.
 */
export async function settled(svc: RunningService) {
  const exit = await svc.exited;
  const closed = (stream: Readable | null) => (stream && !stream.closed ? once(stream, 'close') : undefined);
  await Promise.race([Promise.all([closed(svc.child.stdout), closed(svc.child.stderr)]), sleep(5_000)]);
  return exit;
}

/** Resolves with whether a listener can bind `port` on loopback right now (nothing else holds it). */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port nothing listens on right now (bound on loopback, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
