import cluster, { type Worker } from 'node:cluster';
import { EXIT } from '../core/exit-codes.js';
import { error as logError, info, warn } from '../core/log.js';
import { Backoff } from './backoff.js';
import { CrashWindow } from './crash-window.js';
import { parseClusterMessage } from './messages.js';
import type { RespawnPolicy } from './respawn-policy.js';
import { reportWorker } from './worker-reports.js';

/** Exit codes meaning "this service cannot boot" (bad entry module, port): retrying cannot help. */
const BOOT_FAILURES: ReadonlySet<number> = new Set([EXIT.USAGE, EXIT.LISTEN_FAILED, EXIT.BOOT_FAILED]);

export interface PoolOptions {
  /** Number of worker slots. */
  size: number;
  policy: RespawnPolicy;
  /** The configured PORT (0: any free port, shared by all workers). */
  port: number;
  /** Added to the environment of the worker forked into a slot. */
  env(slot: number): Record<string, string>;
}

export interface PoolHooks {
  /** A worker is listening; the first call means the cluster serves. */
  onListening(port: number): void;
  /** A worker failed to boot before any worker ever served: the service cannot start. */
  onBootFailed(reason: string, exitCode: number): void;
  /** Too many unexpected exits within the window; respawning has stopped. */
  onCrashLoop(reason: string): void;
  onMessage(from: Worker, slot: number, message: unknown): void;
}

interface Slot {
  index: number;
  backoff: Backoff;
  servingSince?: number;
  respawnTimer?: NodeJS.Timeout;
}

const describeExit = (code: number | null, signal: string | null) => (signal ? `signal ${signal}` : `exit code ${code}`);

/**
 * The primary's workers: one slot per configured worker. A worker that exits without being asked
 * to is re-forked in its slot after the slot's backoff delay, until too many exits fall within the
 * crash-loop window. After `stop()` nothing is respawned.
 */
export class WorkerPool {
  private readonly slots: Slot[];
  private readonly live = new Set<Worker>();
  private readonly crashes: CrashWindow;
  private stopping = false;
  private emptied: Array<() => void> = [];
  /** The PORT workers are forked with. */
  private requestedPort: number;
  /** Set once any worker listened: the service has served. */
  private listeningPort?: number;

  constructor(
    private readonly options: PoolOptions,
    private readonly hooks: PoolHooks,
  ) {
    this.requestedPort = options.port;
    this.slots = Array.from({ length: options.size }, (_, index) => ({ index, backoff: new Backoff(options.policy) }));
    this.crashes = new CrashWindow(options.policy.crashLoopWindowMs);
  }

  start() {
    for (const slot of this.slots) this.fork(slot);
  }

  workers(): Worker[] {
    return [...this.live];
  }

  /** Sends `signal` to every worker process. */
  signal(signal: NodeJS.Signals) {
    for (const worker of this.live) worker.process.kill(signal);
  }

  /** No more respawns; sends `signal` (if any) to every worker; resolves once no worker is left. */
  stop(signal?: NodeJS.Signals): Promise<void> {
    this.stopRespawning();
    if (signal) this.signal(signal);
    if (this.live.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.emptied.push(resolve));
  }

  private stopRespawning() {
    this.stopping = true;
    for (const slot of this.slots) clearTimeout(slot.respawnTimer);
  }

  private fork(slot: Slot) {
    slot.respawnTimer = undefined;
    if (this.stopping) return;
    const forkedAt = Date.now();
    // node:cluster shares one listening handle per *requested* port while a worker holds it: a
    // respawn asks for what its siblings asked for (PORT=0 included); with none left, for the port
    // the service already announced.
    if (this.live.size === 0 && this.listeningPort !== undefined) this.requestedPort = this.listeningPort;
    const worker = cluster.fork({ ...this.options.env(slot.index), PORT: String(this.requestedPort) });
    this.live.add(worker);
    reportWorker({ kind: 'fork', slot: slot.index, pid: worker.process.pid! });
    worker.on('message', (message: unknown) => {
      const parsed = parseClusterMessage(message);
      if (parsed?.type !== 'service-lifecycle:listening') return this.hooks.onMessage(worker, slot.index, message);
      slot.servingSince = Date.now();
      this.listeningPort = parsed.port;
      info('worker-online', { slot: slot.index, workerPid: worker.process.pid, port: parsed.port, bootMs: slot.servingSince - forkedAt });
      this.hooks.onListening(parsed.port);
    });
    // E.g. a send to a worker that just died; without a listener it would crash the primary.
    worker.on('error', (err) => warn('worker-ipc-error', { slot: slot.index, workerPid: worker.process.pid, error: err.message }));
    worker.on('exit', (code, signal) => this.onExit(slot, worker, code, signal));
  }

  private onExit(slot: Slot, worker: Worker, code: number | null, signal: string | null) {
    this.live.delete(worker);
    const servedMs = slot.servingSince === undefined ? 0 : Date.now() - slot.servingSince;
    slot.servingSince = undefined;
    const exit = { slot: slot.index, workerPid: worker.process.pid, code, signal };
    reportWorker({ kind: 'exit', slot: slot.index, pid: worker.process.pid!, code, signal });

    if (this.stopping) {
      info('worker-exit', exit);
      if (this.live.size === 0) for (const resolve of this.emptied.splice(0)) resolve();
      return;
    }
    if (this.listeningPort === undefined && code !== null && BOOT_FAILURES.has(code)) {
      this.stopRespawning();
      this.hooks.onBootFailed(`worker ${worker.process.pid} could not boot (exit code ${code}); its boot-failed line says why`, code);
      return;
    }
    const recentExits = this.crashes.record();
    if (recentExits >= this.options.policy.crashLoopExits) {
      this.stopRespawning();
      const reason =
        `${recentExits} unexpected worker exits within ${this.options.policy.crashLoopWindowMs} ms (last: ${describeExit(code, signal)}); ` +
        'gave up so the orchestrator restarts the service with its own backoff';
      logError('crash-loop', { ...exit, recentExits, windowMs: this.options.policy.crashLoopWindowMs, reason });
      this.hooks.onCrashLoop(reason);
      return;
    }
    const delayMs = slot.backoff.next(servedMs);
    warn('worker-respawn', { ...exit, servedMs, delayMs, recentExits });
    slot.respawnTimer = setTimeout(() => this.fork(slot), delayMs);
  }
}
