import { createInspector } from '@statelyai/inspect';
import type { InspectionEvent, Observer } from 'xstate';
import { watchWorkers, type WorkerReport } from '../cluster/worker-reports.js';
import { beforeExit } from '../core/exit.js';
import type { Role } from '../core/types.js';
import type { ProcessHello, WorkerExitReport, WorkerForkReport } from './publisher-messages.js';
import { InspectorSocket } from './socket-adapter.js';

export interface LifecycleInspector {
  inspect: Observer<InspectionEvent>;
  stop(): void;
}

const toMessage = (r: WorkerReport): WorkerForkReport | WorkerExitReport =>
  r.kind === 'fork'
    ? { type: '@lifecycle.worker-fork', slot: r.slot, workerPid: r.pid }
    : { type: '@lifecycle.worker-exit', slot: r.slot, workerPid: r.pid, code: r.code, signal: r.signal };

/**
 * Connects this process's statechart to a lifecycle inspector at `url` (the relay
 * `service-lifecycle inspect` runs, or any Stately inspector). Every connection starts with who
 * this process is (pid, parent, role, worker slot); a cluster primary also reports its workers'
 * forks and exits. The last transitions are flushed before the process exits, within the exit
 * budget; with nothing listening there is nothing to flush and no delay.
 */
export function connectInspector(url: string, who: { role: Role; slot?: number }): LifecycleInspector {
  const hello: ProcessHello = { type: '@lifecycle.process', v: 1, pid: process.pid, ppid: process.ppid, role: who.role, ...(who.slot === undefined ? {} : { slot: who.slot }), startedAt: Math.round(performance.timeOrigin) };
  const socket = new InspectorSocket(url, { label: who.role, hello: () => JSON.stringify(hello), warnUnreachable: who.role !== 'worker' });
  const inspector = createInspector(socket);
  const unwatch = watchWorkers((report) => report.pid && socket.sendText(JSON.stringify(toMessage(report))));
  socket.start();
  const unregister = beforeExit(() => socket.flush());
  return {
    inspect: inspector.inspect,
    stop() {
      unwatch();
      unregister();
      socket.stop();
    },
  };
}
