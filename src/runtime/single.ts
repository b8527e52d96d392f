import type { WorkerDecision } from '../actors.js';
import { directChannel } from './channel.js';
import { openDebugger } from './debugger.js';
import { startHttpService } from './http-service.js';
import type { LoadedConfig, Runner } from './runner.js';

/** Single-process mode: the HTTP server runs right here. No primary, no fork, no IPC. */
export async function startSingle(config: LoadedConfig, _decision: WorkerDecision, abort: AbortSignal): Promise<Runner> {
  if (config.runtime.linked) openDebugger(config.runtime.inspectPort);
  return startHttpService(config, 'single', directChannel, abort);
}
