import cluster from 'node:cluster';
import { fileURLToPath } from 'node:url';
import type { StartInput } from '../core/actors.js';
import { LifecycleError } from '../core/errors.js';
import { EXIT, type ExitCode } from '../core/exit-codes.js';
import type { DrainOptions, Runner } from '../core/runner.js';
import { serviceJsonEnv } from './inherited-service-json.js';
import { createIpcRouter } from './ipc-router.js';
import { KillDeadline } from './kill-deadline.js';
import { rememberListenHandles } from './listen-handles.js';
import { shrinkAcceptQueue, type ListenHandle } from '../serving/accept-queue.js';
import { readRespawnPolicy } from './respawn-policy.js';
import { WorkerPool } from './worker-pool.js';

const WORKER_MAIN = fileURLToPath(new URL('../cli/worker-main.js', import.meta.url));

/**
 * Cluster mode: this process forks the workers and serves nothing itself (no Koa, no HTTP server;
 * node:cluster holds the listening handle here and hands connections to the workers). Resolves
 * once the first worker listens.
 */
export function startPrimary({ config, decision, parent }: StartInput, abort: AbortSignal): Promise<Runner> {
  const policy = readRespawnPolicy(process.env);
  cluster.setupPrimary({ exec: WORKER_MAIN, args: [config.root] });
  const listenHandles = rememberListenHandles();

  return new Promise<Runner>((resolve, reject) => {
    let runner: Runner | undefined;
    const options = { size: decision.workers, policy, port: config.runtime.port, env: serviceJsonEnv(config.serviceJson) };
    const pool: WorkerPool = new WorkerPool(options, {
      onListening: (port) => {
        if (runner) return;
        runner = clusterRunner(pool, port, listenHandles);
        resolve(runner);
      },
      onBootFailed: (reason, exitCode) => reject(new LifecycleError(reason, exitCode as ExitCode)),
      onCrashLoop: (reason) => parent.send({ type: 'CLUSTER_GAVE_UP', reason, exitCode: EXIT.CRASH_LOOP }),
      onMessage: createIpcRouter(() => pool.workers()),
    });
    // A signal before any worker listened: the statechart exits at once; workers stop booting.
    abort.addEventListener('abort', () => void pool.stop('SIGTERM'), { once: true });
    pool.start();
  });
}

/**
 * Draining the cluster: every worker gets the signal and drains itself in parallel (the same drain
 * as single-process mode); done when the last worker is gone, SIGKILL for stragglers at the deadline.
 */
function clusterRunner(pool: WorkerPool, port: number, listenHandles: (port: number) => ListenHandle[]): Runner {
  const deadline = new KillDeadline(() => pool.signal('SIGKILL'));
  // When the workers stop accepting (after the shutdown delay), so does the primary's queue.
  let shrinkTimer: NodeJS.Timeout | undefined;
  let stopped: Promise<void> | undefined;
  const stop = (signal: NodeJS.Signals) => (stopped ??= pool.stop(signal));
  const shrinkQueues = () => {
    clearTimeout(shrinkTimer);
    shrinkTimer = undefined;
    for (const handle of listenHandles(port)) shrinkAcceptQueue(handle);
  };
  return {
    mode: 'cluster',
    port,
    beginDrain(signal) {
      void stop(signal);
    },
    async drain({ signal, deadlineMs, delayMs }: DrainOptions) {
      if (delayMs > 0 && delayMs < deadlineMs) shrinkTimer = setTimeout(shrinkQueues, delayMs);
      else shrinkQueues();
      const gone = stop(signal);
      deadline.set(deadlineMs);
      await gone;
      deadline.clear();
      clearTimeout(shrinkTimer);
    },
    shortenDeadline(ms: number) {
      if (shrinkTimer) shrinkQueues();
      pool.signal('SIGINT');
      deadline.set(ms);
    },
    toJSON: () => ({ mode: 'cluster', port, pid: process.pid, workers: pool.workers().map((w) => w.process.pid) }),
  };
}
