import type { ServiceJson } from '../config/service-json.js';
import { EXIT } from './exit-codes.js';

/**
 * The signals the lifecycle answers, as data; no other file names one. Before serving, a signal
 * stops the process at once; while serving, it starts the drain and decides the exit code (the
 * signal's number, as the SDK's primary exits). A signal with a deadline of its own hurries a drain
 * that is already running (Ctrl-C after a SIGTERM). SIGHUP (a closed terminal, a dropped ssh session)
 * means whoever started the process is gone: drain as SIGTERM does, rather than die mid-request.
 */
export const SIGNALS = {
  SIGTERM: { exitCode: EXIT.SIGTERM },
  SIGINT: { exitCode: EXIT.SIGINT, deadlineMs: 1_000 },
  SIGHUP: { exitCode: EXIT.SIGHUP },
} as const satisfies Record<string, { exitCode: number; deadlineMs?: number }>;

export type DrainSignal = keyof typeof SIGNALS;
export const DRAIN_SIGNALS = Object.keys(SIGNALS) as DrainSignal[];

/** What the statechart receives for a signal: `signal.SIGTERM`; its transitions match `signal.*`. */
export type SignalEvent = { type: `signal.${DrainSignal}` };
export const signalEvent = (signal: DrainSignal): SignalEvent => ({ type: `signal.${signal}` });
export const signalOf = (event: { type: string }) => event.type.slice('signal.'.length) as DrainSignal;

/** Whether a signal received while draining brings the drain's deadline closer. */
export const hurries = (signal: DrainSignal) => 'deadlineMs' in SIGNALS[signal];

/** The drain's deadline as the SDK computes it: the signal's own, else `max(30, timeout)` s. */
export function drainDeadlineMs(signal: DrainSignal, serviceJson: Pick<ServiceJson, 'timeout'>): number {
  const own = SIGNALS[signal] as { deadlineMs?: number };
  return own.deadlineMs ?? Math.max(30, serviceJson.timeout ?? 0) * 1000;
}

/**
 * A deadline that only ever comes closer: a later `set` that would move it further away is ignored,
 * and after `clear` nothing moves it. The drain of a serving process and the cluster primary's kill
 * deadline both follow this rule (a second signal can only hurry a drain).
 */
export class Deadline {
  private timer?: NodeJS.Timeout;
  private at = Infinity;

  constructor(private readonly onExpire: () => void) {}

  /** Expires `ms` from now unless it already expires sooner; true if it moved. */
  set(ms: number): boolean {
    const at = Date.now() + ms;
    if (at >= this.at) return false;
    clearTimeout(this.timer);
    this.at = at;
    // Never what keeps a process alive: a drain waits on its sockets, a primary on its workers.
    this.timer = setTimeout(this.onExpire, ms).unref();
    return true;
  }

  clear() {
    clearTimeout(this.timer);
    this.at = -Infinity;
  }
}
