/**
 * The primary's workers as they come and go, for whoever watches (the live inspector). node:cluster's
 * own 'fork' and 'exit' events cannot say which slot a worker serves; the pool can. Watchers
 * subscribe here, so the pool needs to know none of them. No imports: every primary loads it.
 */
export type WorkerReport = { kind: 'fork'; slot: number; pid: number } | { kind: 'exit'; slot: number; pid: number; code: number | null; signal: string | null };

const watchers = new Set<(report: WorkerReport) => void>();

/** Returns the function that stops watching. */
export function watchWorkers(watch: (report: WorkerReport) => void): () => void {
  watchers.add(watch);
  return () => watchers.delete(watch);
}

export function reportWorker(report: WorkerReport) {
  for (const watch of watchers) watch(report);
}
