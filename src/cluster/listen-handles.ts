import net from 'node:net';
import type { ListenHandle } from '../serving/accept-queue.js';

/**
 * node:cluster's round-robin primary listens through a net.Server, then keeps only its handle and
 * drops the server. Remember those handles as they start listening, so a drain can shrink their
 * accept queue: otherwise every connection still queued when the last worker closes is reset.
 * Installed in the primary only, which runs no service code. It sees every server the workers open
 * (a service's `setup()` may open its own), so the drain asks for the service's port only.
 */
export function rememberListenHandles(): (port: number) => ListenHandle[] {
  const handles = new Set<ListenHandle>();
  const listen = net.Server.prototype.listen;
  net.Server.prototype.listen = function (this: net.Server, ...args: unknown[]) {
    // Registered before node:cluster's own 'listening' listener, which takes the handle away.
    this.once('listening', () => {
      const handle = (this as unknown as { _handle?: ListenHandle })._handle;
      if (handle) handles.add(handle);
    });
    return listen.apply(this, args as never);
  } as typeof listen;
  const portOf = (handle: ListenHandle) => {
    const address: { port?: number } = {};
    handle.getsockname?.(address);
    return address.port;
  };
  return (port) => [...handles].filter((handle) => portOf(handle) === port);
}
