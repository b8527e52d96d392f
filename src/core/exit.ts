/**
 * The one way the lifecycle ends the process. The exit is deferred by a microtask so the
 * statechart first finishes its transition into `exited` (the transition log and the inspector
 * see it), and hooks such as the inspector's flush get a bounded moment to run.
 */
import { log } from './log.js';
import { DRAIN_SIGNALS, SIGNALS } from './signals.js';

/** A run that ended as asked (0, or drained after a signal) exits at `info`; any failure at `error`. */
const ASKED: ReadonlySet<number> = new Set([0, ...Object.values(SIGNALS).map((s) => s.exitCode)]);

type ExitHook = () => Promise<void>;
const hooks = new Set<ExitHook>();

/** Longest an exit hook may hold the exit; a dead or slow peer never delays it more. */
export const EXIT_HOOK_BUDGET_MS = 250;

/** Registers work to finish before exit; returns the function that unregisters it. */
export function beforeExit(hook: ExitHook): () => void {
  hooks.add(hook);
  return () => hooks.delete(hook);
}

export function exitAfterTransition(code: number, reason?: string) {
  queueMicrotask(() => {
    log(ASKED.has(code) ? 'info' : 'error', 'exit', { code, ...(reason ? { reason } : {}) });
    if (hooks.size === 0) process.exit(code);
    // The statechart no longer listens; a signal now must not kill the process mid-flush.
    for (const signal of DRAIN_SIGNALS) process.on(signal, () => {});
    const budget = new Promise<void>((resolve) => setTimeout(resolve, EXIT_HOOK_BUDGET_MS).unref());
    const work = Promise.allSettled([...hooks].map((hook) => hook()));
    void Promise.race([work, budget]).then(() => process.exit(code));
  });
}
