import { createInspector } from '@statelyai/inspect';
import type { InspectionEvent, Observer } from 'xstate';
import { beforeExit } from '../core/exit.js';
import { InspectorSocket } from './socket-adapter.js';

export interface LifecycleInspector {
  inspect: Observer<InspectionEvent>;
  stop(): void;
}

/**
 * Connects this process's statechart to a Stately inspector at `url` (for instance the one
 * `service-lifecycle inspect` serves). The last transitions are flushed before the process exits,
 * within the exit budget; with nothing listening there is nothing to flush and no delay.
 */
export function connectInspector(url: string, label: string): LifecycleInspector {
  const socket = new InspectorSocket(url, label);
  const inspector = createInspector(socket);
  socket.start();
  const unregister = beforeExit(() => socket.flush());
  return {
    inspect: inspector.inspect,
    stop() {
      unregister();
      socket.stop();
    },
  };
}
