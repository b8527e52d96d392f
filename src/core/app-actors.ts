import { fromPromise } from '../deps/xstate.js';
import { readRuntimeEnv } from '../config/env.js';
import type { ServiceJson } from '../config/service-json.js';
import { DEFAULT_HEALTH_PATH } from '../serving/drain.js';
import type { AppOptions, LoadConfigInput, LoadedConfig, Runner, StartClusterInput, StartInput } from './types.js';

/**
 * The actors that make the lifecycle serve one app: `lifecycleMachine.provide({ actors: appActors(app) })`.
 * `loadConfig` reads the environment and the app's service.json; `startInline` serves the app in
 * this process (single-process mode, or as a cluster worker); `startCluster` makes this process the
 * primary that forks `app.workerEntry`. Heavy modules are imported inside the actor that needs them,
 * so each mode pays only for itself.
 */
export function appActors<ToPrimary, ToWorker>(app: AppOptions<ToPrimary, ToWorker>) {
  return {
    loadConfig: fromPromise<LoadedConfig, LoadConfigInput>(async ({ input }) => {
      const runtime = readRuntimeEnv(input.env, input.flags);
      const serviceJson = await readServiceJson(app, input);
      // Before the app is built, so its modules see it at import time.
      if (serviceJson.deterministicVary) input.env.DETERMINISTIC_VARY = 'true';
      const healthPath = app.healthPath ?? DEFAULT_HEALTH_PATH;
      return { root: input.root, serviceJson, runtime, builtins: app.builtins ?? (healthPath ? [healthPath] : []), onUp: app.onUp };
    }),
    startInline: fromPromise<Runner, StartInput>(async ({ input, signal }) =>
      input.decision.mode === 'worker'
        ? (await import('../cluster/worker.js')).startWorker(input.config, app, signal, input.decision.transport)
        : (await import('../serving/single.js')).startSingle(input.config, app, signal),
    ),
    startCluster: fromPromise<Runner, StartClusterInput>(async ({ input, signal }) =>
      (await import('../cluster/primary.js')).startPrimary(input, app, signal),
    ),
  };
}

/** A cluster worker takes service.json as its primary validated it; any other process reads and validates it. */
async function readServiceJson(app: Pick<AppOptions, 'serviceJson'>, { root, env, role }: LoadConfigInput): Promise<ServiceJson> {
  if (role === 'worker') {
    const { serviceJson } = (await import('../cluster/worker-env.js')).takeWorkerEnv(env);
    if (serviceJson) return serviceJson;
  }
  const { loadServiceJson, validateServiceJson, warnNearMisses } = await import('../config/service-json.js');
  if (typeof app.serviceJson !== 'function') return loadServiceJson(root, app.serviceJson);
  const serviceJson = validateServiceJson(await app.serviceJson(root), 'service.json');
  await warnNearMisses(serviceJson);
  return serviceJson;
}
