/**
 * Signals (SIGTERM, SIGINT) that arrive while the CLI is still loading (before the statechart listens) would
 * kill the process by their default action (status 143/130, no exit line). Hold them instead and
 * hand them to the statechart once it runs: it exits with 15/2 without serving.
 */
import { DRAIN_SIGNALS, type DrainSignal } from '../core/signals.js';

const held: DrainSignal[] = [];
const hold = (signal: DrainSignal) => held.push(signal);

export function holdEarlySignals() {
  for (const signal of DRAIN_SIGNALS) process.on(signal, hold);
}

export function releaseEarlySignals(deliver: (signal: DrainSignal) => void) {
  for (const signal of DRAIN_SIGNALS) process.off(signal, hold);
  for (const signal of held.splice(0)) deliver(signal);
}
