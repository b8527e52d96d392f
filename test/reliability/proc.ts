/**
 * Leftover checks for the reliability suite: which processes still carry a test's marker in their
 * environment (cluster workers inherit it), and ports nothing listens on. Listening sockets of a
 * given process come from test/helpers/proc.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { sleep } from '../helpers/http.js';
import { isRunning } from '../helpers/proc.js';
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

/** Pids of live processes whose environment contains `NAME=value`. */
export function processesWithEnv(name: string, value: string): number[] {
  const needle = `${name}=${value}`;
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(needle) && isRunning(Number(entry))) pids.push(Number(entry));
    } catch {
      // gone, or not ours
    }
  }
  return pids;
}

export const isLoopback = (address: string) => /^127\./.test(address) || address === '[::1]' || /^\[::ffff:127\./.test(address);

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
