import cluster, { type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import type { StartInput } from '../actors.js';
import { LifecycleError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { createLogOnce, info, warn } from '../log.js';
import type { DrainOptions, Runner } from '../runtime/runner.js';
import { logStatusLine } from '../runtime/status.js';
import { isClusterMessage } from './messages.js';

const WORKER_MAIN = fileURLToPath(new URL('./worker-main.js', import.meta.url));
export const RESPAWN_DELAY_MS = 100;

/**
 * Cluster mode: this process forks the workers and serves nothing itself. node:cluster holds the
 * listening handle here and hands connections to the workers.
 */
export function startPrimary({ config, decision, parent }: StartInput, abort: AbortSignal): Promise<Runner> {
  const logOnce = createLogOnce();
  let draining = false;
  let port: number | undefined;
  let drained: (() => void) | undefined;
  let killTimer: NodeJS.Timeout | undefined;

  cluster.setupPrimary({ exec: WORKER_MAIN, args: [config.root] });
  const fork = () => cluster.fork({ PORT: String(port ?? config.runtime.port) });

  return new Promise<Runner>((resolve, reject) => {
    const live = () => Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w && !w.isDead());

    cluster.on('online', (worker) => info('worker-online', { worker: worker.id, workerPid: worker.process.pid }));
    cluster.on('message', (worker, message: unknown) => {
      if (!isClusterMessage(message)) {
        warn('ipc-unknown-message', { worker: worker.id, message: JSON.stringify(message)?.slice(0, 200) });
        return;
      }
      if (message.type === 'service-lifecycle:log-once') logOnce(message.message);
      if (message.type === 'service-lifecycle:status-track') {
        logStatusLine('cluster');
        for (const w of live()) w.send({ type: 'service-lifecycle:status-track' });
      }
    });
    cluster.on('listening', (_worker, address) => {
      if (port !== undefined) return;
      port = address.port;
      resolve(runner);
    });
    cluster.on('exit', (worker, code, signal) => {
      if (draining) {
        if (live().length === 0) drained?.();
        return;
      }
      if (code === EXIT.BOOT_FAILED) {
        const reason = `worker ${worker.process.pid} failed to boot (exit ${code}); see its boot-failed line`;
        if (port === undefined) reject(new LifecycleError(reason, EXIT.BOOT_FAILED));
        else parent.send({ type: 'CLUSTER_GAVE_UP', reason, exitCode: EXIT.BOOT_FAILED });
        return;
      }
      warn('worker-exit', { worker: worker.id, workerPid: worker.process.pid, code, signal, respawnInMs: RESPAWN_DELAY_MS });
      setTimeout(() => !draining && fork(), RESPAWN_DELAY_MS);
    });

    abort.addEventListener('abort', () => {
      draining = true;
      for (const w of live()) w.process.kill('SIGTERM');
    });

    const killStragglers = () => {
      for (const w of live()) w.process.kill('SIGKILL');
    };
    const runner: Runner = {
      mode: 'cluster',
      get port() {
        return port ?? config.runtime.port;
      },
      drain({ signal, deadlineMs }: DrainOptions) {
        draining = true;
        return new Promise<void>((done) => {
          drained = () => {
            clearTimeout(killTimer);
            done();
          };
          if (live().length === 0) return drained();
          for (const w of live()) w.process.kill(signal);
          killTimer = setTimeout(killStragglers, deadlineMs);
        });
      },
      shortenDeadline(ms: number) {
        for (const w of live()) w.process.kill('SIGINT');
        clearTimeout(killTimer);
        killTimer = setTimeout(killStragglers, ms);
      },
      toJSON: () => ({ mode: 'cluster', port, pid: process.pid, workers: live().map((w) => w.process.pid) }),
    };

    for (let i = 0; i < decision.workers; i++) fork();
  });
}
