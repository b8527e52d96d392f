/** What workers and the primary say to each other over the cluster IPC channel. */
export type ClusterMessage =
  | { type: 'service-lifecycle:log-once'; message: string }
  | { type: 'service-lifecycle:status-track' };

export function isClusterMessage(value: unknown): value is ClusterMessage {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string' &&
    (value as { type: string }).type.startsWith('service-lifecycle:');
}
