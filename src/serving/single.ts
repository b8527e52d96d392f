import type { WorkerDecision } from '../core/actors.js';
import { directChannel } from './channel.js';
import { startHttpService } from './http-service.js';
import type { LoadedConfig, Runner } from '../core/runner.js';

/** Single-process mode: the HTTP server runs right here. No primary, no fork, no IPC. */
export async function startSingle(config: LoadedConfig, _decision: WorkerDecision, abort: AbortSignal): Promise<Runner> {
  // node:inspector only in linked mode; a production replica never loads it.
  if (config.runtime.linked) (await import('./debugger.js')).openDebugger(config.runtime.inspectPort);
  return startHttpService(config, 'single', directChannel, abort);
}
