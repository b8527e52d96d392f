/** What workers and the primary say to each other over the cluster IPC channel. */
export type ClusterMessage =
  | { type: 'service-lifecycle:log-once'; message: string }
  | { type: 'service-lifecycle:status-track' }
  | { type: 'service-lifecycle:listening'; port: number };

export const STATUS_TRACK: ClusterMessage = { type: 'service-lifecycle:status-track' };

/** The message if it is one of ours and well formed; anything else (a service's own `process.send`) is undefined. */
export function parseClusterMessage(value: unknown): ClusterMessage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { type, message, port } = value as { type?: unknown; message?: unknown; port?: unknown };
  if (type === 'service-lifecycle:status-track') return STATUS_TRACK;
  if (type === 'service-lifecycle:log-once' && typeof message === 'string') return { type, message };
  if (type === 'service-lifecycle:listening' && Number.isInteger(port)) return { type, port: port as number };
  return undefined;
}
