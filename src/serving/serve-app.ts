import type { AppChannel, AppOptions, HttpRunner, LoadedConfig, ServerStats } from '../core/types.js';
import { serveHttp } from './http-runner.js';

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
): Promise<HttpRunner> {
  let runner: HttpRunner | undefined;
  const channel = makeChannel(() => runner?.stats() ?? NOTHING_YET);
  const listener = await app.app({ config, mode, channel });
  runner = await serveHttp(listener, { runtime: config.runtime, mode, healthPath: app.healthPath }, abort);
  return runner;
}
