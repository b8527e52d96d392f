import type { Channel } from '../runtime/channel.js';
import { startHttpService } from '../runtime/http-service.js';
import type { LoadedConfig, Runner } from '../runtime/runner.js';
import { logStatusLine, type ServerStats } from '../runtime/status.js';
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

/** The serving half of a cluster worker: the same HTTP service and drain as single-process mode. */
export function startWorker(config: LoadedConfig, abort: AbortSignal): Promise<Runner> {
  return startHttpService(config, 'worker', ipcChannel, abort);
}
