import { createLogOnce, describeError, warn } from '../core/log.js';
import type { AppChannel, AppOptions, ServerStats } from '../core/types.js';

/**
 * The channel of single-process mode: everything a cluster primary would do for its workers happens
 * in this process. The app's messages reach `onWorkerMessage` a microtask later, as they would over
 * IPC, so the app sees the same order of events in both modes.
 */
export function localChannel<ToPrimary, ToWorker>(
  stats: () => ServerStats,
  onWorkerMessage: AppOptions<ToPrimary, ToWorker>['onWorkerMessage'],
): AppChannel<ToPrimary, ToWorker> {
  const logOnce = createLogOnce();
  const listeners = new Set<(message: ToWorker) => void>();
  const cluster = { broadcast: (message: ToWorker) => queueMicrotask(() => listeners.forEach((listener) => listener(message))) };
  const source = { pid: process.pid, slot: 0 };
  return {
    logOnce: (message) => void logOnce(message),
    statusTrack: () => {
      // The counts as of the request; the module that prints them loads on the first /_status, not at boot.
      const now = stats();
      void import('./status.js').then(({ logStatusLine }) => logStatusLine('single', now));
    },
    send: (message) =>
      queueMicrotask(() => {
        if (!onWorkerMessage) return warn('ipc-unknown-message', { message: preview(message), note: 'no onWorkerMessage; ignored' });
        try {
          onWorkerMessage(message, source, cluster);
        } catch (err) {
          warn('ipc-failed', { ...describeError(err) });
        }
      }),
    onMessage(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

/** A message as a log line can show it. */
export const preview = (value: unknown) => (JSON.stringify(value) ?? String(value)).slice(0, 200);
