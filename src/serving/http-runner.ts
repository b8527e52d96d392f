import { createServer } from 'node:http';
import type { AddressInfo, ListenOptions } from 'node:net';
import type { RuntimeEnv } from '../config/env.js';
import { flushCompileCacheSoon } from '../core/compile-cache.js';
import { info } from '../core/log.js';
import type { AppChannel, AppOptions, HttpRunner, LoadedConfig, RequestListener, ServerStats } from '../core/types.js';
import { HttpDrain, WORKER_HANDOFF_QUIET_MS } from './drain.js';
import { DEFAULT_HEALTH_PATH } from './drain.js';
import { listenFailed } from './listen-error.js';

export interface ServeOptions {
  /** The port and the server timeouts (`readRuntimeEnv()` reads them from the environment). */
  runtime: Pick<RuntimeEnv, 'port' | 'keepAliveTimeoutMs' | 'headersTimeoutMs' | 'requestTimeoutMs'> & { accessLog?: boolean };
  /** `worker` in a cluster worker: its connections come from the primary (see WORKER_HANDOFF_QUIET_MS). Default `single`. */
  mode?: 'single' | 'worker';
  /**
   * Listen with SO_REUSEPORT (Node 22.12+; a reusePort cluster worker): this process owns its
   * listening socket beside its siblings' and drains its own accept queue, as single-process mode
   * does. Node 20 ignores it silently: decide with `reusePortUnsupported()` first.
   */
  reusePort?: boolean;
  /** Answers 503 here once draining; `false` for none. Default `/healthcheck`. */
  healthPath?: string | false;
}

/**
 * Serves any request listener (a Koa app's `callback()`, or a plain `(req, res)`) as a Runner with
 * everything a service of ours gets: the server timeouts, the readiness flip, the drain and its
 * `drained` line. Resolves once listening; a port that cannot be bound rejects with exit code 69.
 */
export async function serveHttp(listener: RequestListener, options: ServeOptions, abort?: AbortSignal): Promise<HttpRunner> {
  const { runtime } = options;
  const mode = options.mode ?? 'single';
  // Node checks headersTimeout/requestTimeout only every connectionsCheckingInterval (30 s by
  // default), so a slow-headers client would outlive HEADERS_TIMEOUT_MS by up to 30 s; 500 ms here.
  const server = createServer({ connectionsCheckingInterval: Math.min(500, runtime.headersTimeoutMs) });
  // A worker of a classic cluster gets its connections from the primary's queue; any other process owns its socket.
  const handedOver = mode === 'worker' && !options.reusePort;
  const drain = new HttpDrain(server, {
    quietMs: handedOver ? WORKER_HANDOFF_QUIET_MS : 0,
    healthPath: options.healthPath ?? DEFAULT_HEALTH_PATH,
  });
  const handler = drain.handle(listener);
  server.on('request', runtime.accessLog ? (await import('./access-log.js')).withAccessLog(handler) : handler);
  server.keepAliveTimeout = runtime.keepAliveTimeoutMs;
  server.headersTimeout = runtime.headersTimeoutMs;
  server.requestTimeout = runtime.requestTimeoutMs;

  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => reject(listenFailed(runtime.port, err));
    server.once('error', onError);
    // @types/node 20 does not know `reusePort` yet.
    server.listen(options.reusePort ? ({ port: runtime.port, reusePort: true } as ListenOptions) : runtime.port, () => {
      server.off('error', onError);
      resolve();
    });
  });
  if (abort?.aborted) {
    server.close();
    throw new Error('aborted before serving');
  }
  abort?.addEventListener('abort', () => server.close(), { once: true });

  const port = (server.address() as AddressInfo).port;
  return {
    mode,
    port,
    stats: () => ({ openConnections: drain.openConnections, requestsServed: drain.requestsServed }),
    beginDrain: () => drain.begin(),
    drain: async (drainOptions) => {
      await drain.drain(drainOptions);
      info('drained', { mode, ...drain.figures() });
    },
    shortenDeadline: (_signal, ms) => drain.shortenDeadline(ms),
    toJSON: () => ({ mode, port, pid: process.pid }),
  };
}

const NOTHING_YET: ServerStats = { openConnections: 0, requestsServed: 0 };

/**
 * Builds the app in this process and serves it: the serving half of single-process mode and of every
 * cluster worker. They differ only in the channel (`makeChannel`): in this process, or through the primary.
 */
export async function serveApp<ToPrimary, ToWorker>(
  config: LoadedConfig,
  mode: 'single' | 'worker',
  app: AppOptions<ToPrimary, ToWorker>,
  makeChannel: (stats: () => ServerStats) => AppChannel<ToPrimary, ToWorker>,
  abort: AbortSignal,
  listen: Pick<ServeOptions, 'reusePort'> = {},
): Promise<HttpRunner> {
  let runner: HttpRunner | undefined;
  const channel = makeChannel(() => runner?.stats() ?? NOTHING_YET);
  const listener = await app.app({ config, mode, channel });
  runner = await serveHttp(listener, { runtime: config.runtime, mode, healthPath: app.healthPath, ...listen }, abort);
  // Booted: what was compiled so far (ours and the app's) goes to the compile cache now, a second
  // after listening, so a worker respawned later boots from it (Node otherwise writes it at exit).
  flushCompileCacheSoon();
  return runner;
}
