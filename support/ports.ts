/**
 * TCP ports for the tests and the benchmark: one nothing listens on, whether one is free, and one
 * held by a listener of our own (to see a service fail on a port in use).
 */
import net from 'node:net';

/** A loopback port nothing listens on right now: the OS hands it out, it is released, a service binds it a moment later. */
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

/** Resolves with whether a listener can bind `port` on loopback right now (nothing else holds it). */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export interface HeldPort {
  port: number;
  close(): Promise<void>;
}

/** A port an idle listener of ours holds until close(): bound on `host`, or on every interface without one. */
export async function holdPort(host?: string): Promise<HeldPort> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: 0, host }, resolve);
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
