/**
 * The embedding API (`service-lifecycle/embed`): run your own app through the lifecycle statechart,
 * in a single process or as a cluster. See the README's "Embedding" section.
 *
 *   const machine = lifecycleMachine.provide({ actors: appActors({ app: () => koa.callback() }) });
 *   createActor(machine, { input: { root, role: clusterRole() } }).start();
 */
export { appActors } from './core/app-actors.js';
export { clusterRole } from './cluster/worker-env.js';
export { serveHttp } from './serving/http-runner.js';
export { HttpDrain } from './serving/drain.js';
export { DEFAULT_HEALTH_PATH } from './serving/drain.js';
export { optionsFromEnv, startLifecycle, transitionLogger } from './core/run.js';
export { serviceApp } from './service/service-app.js';
export { readRuntimeEnv } from './config/env.js';
export { MAX_WORKERS, resolveWorkerCount } from './config/workers.js';
export { loadServiceJson, validateServiceJson } from './config/service-json.js';
export { DRAIN_SIGNALS, SIGNALS, drainDeadlineMs, signalEvent } from './core/signals.js';
export { EXIT } from './core/exit-codes.js';
export { LifecycleError } from './core/errors.js';
export { log } from './core/log.js';
