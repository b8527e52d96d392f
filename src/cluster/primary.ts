import cluster from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { Deadline } from '../core/signals.js';
import { LifecycleError } from '../core/errors.js';
import { EXIT, type ExitCode } from '../core/exit-codes.js';
import type { AppOptions, LoadedConfig, Runner, StartClusterInput } from '../core/types.js';
import { shrinkAcceptQueue, type ListenHandle } from '../serving/accept-queue.js';
import type { ClusterTransport } from '../config/cluster-transport.js';
import { claimPort } from './claim-port.js';
import { createIpcRouter } from './ipc-router.js';
import { rememberListenHandles } from './listen-handles.js';
import { readRespawnPolicy } from './respawn-policy.js';
import { WorkerPool } from './worker-pool.js';
import { workerEnv } from './worker-env.js';

/** The module and arguments each worker starts with: the app's, or the script node was started with. */
function workerCommand(app: Pick<AppOptions, 'workerEntry' | 'workerArgs'>, config: LoadedConfig) {
  const entry = app.workerEntry ?? process.argv[1];
  if (!entry) throw new LifecycleError('cluster mode needs a worker entry: set workerEntry in the app options', EXIT.BOOT_FAILED, 'workerEntry');
  const exec = entry instanceof URL || entry.startsWith('file:') ? fileURLToPath(entry) : entry;
  const args = typeof app.workerArgs === 'function' ? app.workerArgs(config) : (app.workerArgs ?? process.argv.slice(2));
  return { exec, args };
}

/**
 * Cluster mode: this process forks the workers and serves nothing itself (no app, no HTTP server).
 * With the `round-robin` transport node:cluster holds the listening handle here and hands
 * connections to the workers; with `reusePort` each worker listens on the port itself and this
 * process holds no socket at all, after checking once that the port is free. Resolves once the
 * first worker listens.
 */
export async function startPrimary<ToPrimary, ToWorker>(
  { config, decision, transport, onGiveUp }: StartClusterInput,
  app: AppOptions<ToPrimary, ToWorker>,
  abort: AbortSignal,
): Promise<Runner> {
  const policy = readRespawnPolicy(process.env);
  cluster.setupPrimary(workerCommand(app, config));
  const reusePort = transport === 'reusePort';
  // Round-robin: the handles node:cluster listens with here, so the drain can shrink their queue.
  // reusePort: there are none; each worker drains its own queue.
  const listenHandles = reusePort ? () => [] : rememberListenHandles();
  const port = reusePort ? await claimPort(config.runtime.port) : config.runtime.port;
  if (abort.aborted) throw new Error('aborted before forking');

  return new Promise<Runner>((resolve, reject) => {
    let runner: Runner | undefined;
    const options = { size: decision.workers, policy, port, env: (slot: number) => workerEnv(config.serviceJson, slot, transport) };
    const pool: WorkerPool = new WorkerPool(options, {
      onListening: (port) => {
        if (runner) return;
        runner = clusterRunner(pool, port, listenHandles, transport);
        resolve(runner);
      },
      onBootFailed: (reason, exitCode) => reject(new LifecycleError(reason, exitCode as ExitCode)),
      onCrashLoop: (reason) => onGiveUp(reason, EXIT.CRASH_LOOP),
      onMessage: createIpcRouter(() => pool.workers(), app.onWorkerMessage),
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
function clusterRunner(pool: WorkerPool, port: number, listenHandles: (port: number) => ListenHandle[], transport: ClusterTransport): Runner {
  const deadline = new Deadline(() => pool.signal('SIGKILL'));
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
    async drain({ signal, deadlineMs, delayMs }) {
      if (delayMs > 0 && delayMs < deadlineMs) shrinkTimer = setTimeout(shrinkQueues, delayMs);
      else shrinkQueues();
      const gone = stop(signal);
      deadline.set(deadlineMs);
      await gone;
      deadline.clear();
      clearTimeout(shrinkTimer);
    },
    shortenDeadline(signal, ms) {
      if (shrinkTimer) shrinkQueues();
      pool.signal(signal);
      deadline.set(ms);
    },
    toJSON: () => ({ mode: 'cluster', transport, port, pid: process.pid, workers: pool.workers().map((w) => w.process.pid) }),
  };
}
