import type { ServiceJson } from '../config/service-json.js';
import type { RuntimeEnv } from '../config/env.js';

/** How the HTTP service runs: in this process, as one worker of a cluster, or as the cluster's primary. */
export type Mode = 'single' | 'worker' | 'cluster';

export type DrainSignal = 'SIGTERM' | 'SIGINT';

export interface DrainOptions {
  signal: DrainSignal;
  /** Hard limit from the signal: whatever is still open then is destroyed (or SIGKILLed). */
  deadlineMs: number;
  /** Readiness reports 503 but the listener keeps accepting for this long. */
  delayMs: number;
}

/**
 * What the statechart holds once serving starts. `Single` and `Cluster` are siblings behind this
 * interface; the drain rules they share live in runtime/drain.ts.
 */
export interface Runner {
  readonly mode: Mode;
  readonly port: number;
  /**
   * The instant part of a drain, run by the transition into `draining` itself so that it waits for
   * nothing: readiness answers 503 and new responses carry `Connection: close`; a cluster primary
   * signals its workers. `drain()` does it too if it has not happened.
   */
  beginDrain(signal: DrainSignal): void;
  /** Resolves when nothing of the service is left running (sockets closed, workers exited). */
  drain(options: DrainOptions): Promise<void>;
  /** A later signal can only bring the deadline closer. */
  shortenDeadline(ms: number): void;
  /** What the inspector and the transition log see of it. */
  toJSON(): Record<string, unknown>;
}

export interface LoadedConfig {
  root: string;
  serviceJson: ServiceJson;
  runtime: RuntimeEnv;
}

/** Drain deadline as the SDK computes it: at least 30 s, or the service timeout; SIGINT gets 1 s. */
export const SIGINT_DEADLINE_MS = 1_000;
export function drainDeadlineMs(signal: DrainSignal, serviceJson: ServiceJson): number {
  if (signal === 'SIGINT') return SIGINT_DEADLINE_MS;
  return Math.max(30, serviceJson.timeout ?? 0) * 1000;
}
