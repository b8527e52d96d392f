/**
 * How a cluster's new connections reach its workers (specs/cluster-reuseport.md):
 * - `round-robin`: node:cluster's default on Linux. The primary holds the listening socket, accepts
 *   every connection and passes its handle to a worker over IPC.
 * - `reusePort`: each worker listens on the port itself with SO_REUSEPORT (`server.listen({ reusePort })`)
 *   and the kernel spreads new connections over the workers' sockets; the primary holds none.
 */
export type ClusterTransport = 'round-robin' | 'reusePort';

/** Where `reusePort` is used when asked for: the drain and the hazards of the spec are Linux's, measured. */
export const REUSEPORT_PLATFORMS: ReadonlySet<string> = new Set(['linux']);

/**
 * Why this Node on this platform cannot serve a cluster with `reusePort`, or undefined if it can.
 * Decided from the version, never by trying: Node 20's `listen()` ignores the option silently and
 * the worker would quietly go through the primary again.
 */
export function reusePortUnsupported(version: string = process.versions.node, platform: string = process.platform): string | undefined {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  // server.listen({ reusePort }) first shipped in 23.1.0 and was backported to 22.12.0 (nodejs/node#55408).
  const has = major >= 24 || (major === 23 && minor >= 1) || (major === 22 && minor >= 12);
  if (!has) return `Node ${version.replace(/^v?/, 'v')} has no reusePort for server.listen() (it came in 22.12.0 and 23.1.0)`;
  if (!REUSEPORT_PLATFORMS.has(platform)) return `reusePort cluster mode is supported on Linux only, this is ${platform}`;
  return undefined;
}

export interface TransportResolution {
  transport: ClusterTransport;
  /** Why the opt-in was not honoured, for one `config` warning. */
  warning?: string;
}

/** The transport of a cluster: `reusePort` if asked for (CLUSTER_REUSEPORT=1) and supported, else classic round-robin. */
export function resolveTransport(requested: boolean, version?: string, platform?: string): TransportResolution {
  if (!requested) return { transport: 'round-robin' };
  const why = reusePortUnsupported(version, platform);
  if (!why) return { transport: 'reusePort' };
  return { transport: 'round-robin', warning: `CLUSTER_REUSEPORT=1: ${why}; serving in classic cluster mode (the primary accepts every connection)` };
}
