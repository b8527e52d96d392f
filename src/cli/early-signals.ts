/**
 * SIGTERM/SIGINT that arrive while the CLI is still loading (before the statechart listens) would
 * kill the process by their default action (status 143/130, no exit line). Hold them instead and
 * hand them to the statechart once it runs: it exits with 15/2 without serving.
 */
const SIGNALS = ['SIGTERM', 'SIGINT'] as const;
type HeldSignal = (typeof SIGNALS)[number];

const held: HeldSignal[] = [];
const hold = (signal: HeldSignal) => held.push(signal);

export function holdEarlySignals() {
  for (const signal of SIGNALS) process.on(signal, hold);
}

export function releaseEarlySignals(deliver: (signal: HeldSignal) => void) {
  for (const signal of SIGNALS) process.off(signal, hold);
  for (const signal of held.splice(0)) deliver(signal);
}
