import type { Worker } from 'node:cluster';
import { createLogOnce, describeError, warn } from '../core/log.js';
import type { AppOptions } from '../core/types.js';
import { preview } from '../serving/channel.js';
import { logStatusLine } from '../serving/status.js';
import { parseClusterMessage, STATUS_TRACK } from './messages.js';

/**
 * The primary's handler for every message a worker sends. Ours: log-once lines are printed once for
 * the whole cluster; a status-track request makes the primary and every worker log a status line.
 * Anything else is the app's own, for `onWorkerMessage`, or a warning when the app has none. Nothing
 * a worker sends can crash the primary.
 */
export function createIpcRouter<ToPrimary, ToWorker>(liveWorkers: () => Worker[], onWorkerMessage: AppOptions<ToPrimary, ToWorker>['onWorkerMessage']) {
  const logOnce = createLogOnce();
  const broadcast = (message: unknown) => {
    for (const worker of liveWorkers()) if (worker.isConnected()) worker.send(message as never);
  };
  return (from: Worker, slot: number, raw: unknown) => {
    const workerPid = from.process.pid;
    try {
      const message = parseClusterMessage(raw);
      if (message?.type === 'service-lifecycle:log-once') logOnce(message.message);
      else if (message?.type === 'service-lifecycle:status-track') {
        logStatusLine('cluster');
        broadcast(STATUS_TRACK);
      } else if (onWorkerMessage) onWorkerMessage(raw as ToPrimary, { pid: workerPid ?? 0, slot }, { broadcast });
      else warn('ipc-unknown-message', { workerPid, message: preview(raw), note: 'ignored' });
    } catch (err) {
      warn('ipc-failed', { workerPid, message: preview(raw), ...describeError(err) });
    }
  };
}
