/**
 * What our processes send the relay besides xstate's inspection events: who they are (first, on
 * every connection) and, from a cluster primary, its workers' forks and exits (a SIGKILLed worker
 * cannot say that it died).
 */
export interface ProcessHello {
  type: '@lifecycle.process';
  v: 1;
  pid: number;
  ppid: number;
  role: string;
  slot?: number;
  startedAt: number;
}

export type WorkerForkReport = { type: '@lifecycle.worker-fork'; slot: number; workerPid: number };
export type WorkerExitReport = { type: '@lifecycle.worker-exit'; slot: number; workerPid: number; code: number | null; signal: string | null };

/** The relay closes a publisher that sends a larger frame (ws `maxPayload`); the publisher skips such a message instead. */
export const MAX_PUBLISHER_MESSAGE = 1024 * 1024;
