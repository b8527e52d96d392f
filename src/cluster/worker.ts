import type { ClusterTransport } from '../config/cluster-transport.js';
import { serveApp } from '../serving/http-runner.js';
import { logStatusLine } from '../serving/status.js';
import type { AppChannel, AppOptions, HttpRunner, LoadedConfig, ServerStats } from '../core/types.js';
import { parseClusterMessage, STATUS_TRACK, type ClusterMessage } from './messages.js';

const send = (message: unknown) => process.send?.(message);

/** A cluster worker reaches log-once, status-track and the app's own messages through the primary. */
function ipcChannel<ToPrimary, ToWorker>(stats: () => ServerStats): AppChannel<ToPrimary, ToWorker> {
  const listeners = new Set<(message: ToWorker) => void>();
  process.on('message', (message: unknown) => {
    const ours = parseClusterMessage(message);
    if (ours?.type === STATUS_TRACK.type) logStatusLine('worker', stats());
    else if (!ours) for (const listener of listeners) listener(message as ToWorker);
  });
  return {
    logOnce: (message) => send({ type: 'service-lifecycle:log-once', message } satisfies ClusterMessage),
    statusTrack: () => send(STATUS_TRACK),
    send,
    onMessage(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

/**
 * The serving half of a cluster worker: the same app, HTTP service and drain as single-process mode.
 * Tells the primary its port itself: node:cluster's own 'listening' event fires for every server a
 * worker opens, and the app may open one of its own; and a worker that listens with `reusePort`
 * binds its own socket, of which node:cluster tells the primary nothing at all.
 */
export async function startWorker<ToPrimary, ToWorker>(
  config: LoadedConfig,
  app: AppOptions<ToPrimary, ToWorker>,
  abort: AbortSignal,
  transport: ClusterTransport = 'round-robin',
): Promise<HttpRunner> {
  const runner = await serveApp(config, 'worker', app, ipcChannel<ToPrimary, ToWorker>, abort, { reusePort: transport === 'reusePort' });
  send({ type: 'service-lifecycle:listening', port: runner.port } satisfies ClusterMessage);
  return runner;
}
