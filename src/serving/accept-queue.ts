/** A libuv listening handle, as node:net keeps it in `server._handle`. */
export interface ListenHandle {
  listen?: (backlog: number) => number;
  getsockname?: (out: { port?: number }) => number;
  constructor?: { name?: string };
}

/**
 * Re-listens with a backlog of 0 so the kernel drops new SYNs while the queue is being emptied: those
 * clients retry after 1 s and find the port closed (refused) instead of being accepted into the
 * queue and reset when the listener closes. Only a process that owns the listening socket can do
 * this: single-process mode, a reusePort cluster worker (its own socket), or the classic cluster
 * primary (a classic worker's connections come from the primary).
 */
export function shrinkAcceptQueue(handle: ListenHandle | null | undefined) {
  if (handle?.constructor?.name === 'TCP') handle.listen?.(0);
}
