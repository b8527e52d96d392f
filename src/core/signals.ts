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
