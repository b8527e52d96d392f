import type { Worker } from 'node:cluster';
import { createLogOnce, describeError, warn } from '../core/log.js';
import { logStatusLine } from '../serving/status.js';
import { parseClusterMessage, STATUS_TRACK } from './messages.js';

const preview = (value: unknown) => (JSON.stringify(value) ?? String(value)).slice(0, 200);

/**
 * The primary's handler for every message a worker sends: log-once lines are printed once for the
 * whole cluster, a status-track request makes the primary and every worker log a status line.
 * Anything else is a warning; nothing a worker sends can crash the primary.
 */
export function createIpcRouter(liveWorkers: () => Worker[]) {
  const logOnce = createLogOnce();
  return (from: Worker, raw: unknown) => {
    const message = parseClusterMessage(raw);
    if (!message) {
      warn('ipc-unknown-message', { workerPid: from.process.pid, message: preview(raw), note: 'ignored' });
      return;
    }
    try {
      if (message.type === 'service-lifecycle:log-once') logOnce(message.message);
      else if (message.type === 'service-lifecycle:status-track') {
        logStatusLine('cluster');
        for (const worker of liveWorkers()) if (worker.isConnected()) worker.send(STATUS_TRACK);
      }
    } catch (err) {
      warn('ipc-failed', { workerPid: from.process.pid, type: message.type, ...describeError(err) });
    }
  };
}
