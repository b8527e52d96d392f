import type { AppOptions, HttpRunner, LoadedConfig } from '../core/types.js';
import { localChannel } from './channel.js';
import { serveApp } from './http-runner.js';

/** Single-process mode: the app is served right here. No primary, no fork, no IPC. */
export async function startSingle<ToPrimary, ToWorker>(config: LoadedConfig, app: AppOptions<ToPrimary, ToWorker>, abort: AbortSignal): Promise<HttpRunner> {
  // node:inspector only in linked mode; a production replica never loads it.
  if (config.runtime.linked) (await import('./debugger.js')).openDebugger(config.runtime.inspectPort);
  return serveApp(config, 'single', app, (stats) => localChannel(stats, app.onWorkerMessage), abort);
}
