import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LifecycleError } from '../core/errors.js';
import { EXIT } from '../core/exit-codes.js';
import { info } from '../core/log.js';
import { buildApp } from '../service/app.js';
import { loadEntry } from '../service/load-entry.js';
import type { Channel } from './channel.js';
import { HttpDrain, WORKER_HANDOFF_QUIET_MS } from './drain.js';
import type { LoadedConfig, Mode, Runner } from '../core/runner.js';
import type { ServerStats } from './status.js';

/**
 * Imports the service, builds its Koa app and listens: the serving half of single-process mode
 * and of every cluster worker. `channel` is how log-once and status-track leave this process.
 */
export async function startHttpService(
  config: LoadedConfig,
  mode: Exclude<Mode, 'cluster'>,
  makeChannel: (stats: () => ServerStats) => Channel,
  abort: AbortSignal,
): Promise<Runner> {
  const { definition, file } = await loadEntry(config.root);
  // Node checks headersTimeout/requestTimeout only every connectionsCheckingInterval (30 s by
  // default), so a slow-headers client would outlive HEADERS_TIMEOUT_MS by up to 30 s; 500 ms here.
  const server = createServer({ connectionsCheckingInterval: Math.min(500, config.runtime.headersTimeoutMs) });
  const drain = new HttpDrain(server, mode === 'worker' ? WORKER_HANDOFF_QUIET_MS : 0);
  const channel = makeChannel(() => ({ openConnections: drain.openConnections, requestsServed: drain.requestsServed }));
  const app = await buildApp(config.serviceJson, definition, file, {
    isDraining: () => drain.isDraining,
    statusTrack: () => channel.statusTrack(),
    logOnce: (message) => channel.logOnce(message),
  });
  server.on('request', drain.handle(app.callback()));
  const { runtime } = config;
  server.keepAliveTimeout = runtime.keepAliveTimeoutMs;
  server.headersTimeout = runtime.headersTimeoutMs;
  server.requestTimeout = runtime.requestTimeoutMs;

  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      const why = err.code === 'EADDRINUSE' ? 'is already in use' : err.code === 'EACCES' ? 'needs privileges' : `cannot be bound (${err.code ?? err.message})`;
      reject(new LifecycleError(`PORT ${runtime.port} ${why}; stop the other process or set PORT to a free port`, EXIT.LISTEN_FAILED, 'PORT'));
    };
    server.once('error', onError);
    server.listen(runtime.port, () => {
      server.off('error', onError);
      resolve();
    });
  });
  if (abort.aborted) {
    server.close();
    throw new Error('aborted before serving');
  }
  abort.addEventListener('abort', () => server.close(), { once: true });

  const port = (server.address() as AddressInfo).port;
  return {
    mode,
    port,
    beginDrain: () => drain.begin(),
    drain: async (options) => {
      await drain.drain(options);
      info('drained', { mode, ...drain.figures() });
    },
    shortenDeadline: (ms) => drain.shortenDeadline(ms),
    toJSON: () => ({ mode, port, pid: process.pid }),
  };
}
