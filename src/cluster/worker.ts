import type { Channel } from '../serving/channel.js';
import { startHttpService } from '../serving/http-service.js';
import type { LoadedConfig, Runner } from '../core/runner.js';
import { logStatusLine, type ServerStats } from '../serving/status.js';
import { parseClusterMessage, STATUS_TRACK, type ClusterMessage } from './messages.js';

const send = (message: ClusterMessage) => process.send?.(message);

/** A cluster worker reaches log-once and status-track through the primary. */
function ipcChannel(stats: () => ServerStats): Channel {
  process.on('message', (message: unknown) => {
    if (parseClusterMessage(message)?.type === STATUS_TRACK.type) logStatusLine('worker', stats());
  });
  return {
    logOnce: (message) => send({ type: 'service-lifecycle:log-once', message }),
    statusTrack: () => send(STATUS_TRACK),
  };
}

/**
 * The serving half of a cluster worker: the same HTTP service and drain as single-process mode.
 * Tells the primary its port itself: node:cluster's own 'listening' event fires for every server a
 * worker opens, and a service's `setup()` may open one of its own.
 */
export async function startWorker(config: LoadedConfig, abort: AbortSignal): Promise<Runner> {
  const runner = await startHttpService(config, 'worker', ipcChannel, abort);
  send({ type: 'service-lifecycle:listening', port: runner.port });
  return runner;
}
