export { lifecycleMachine, type LifecycleContext, type LifecycleEvent, type LifecycleInput } from '../machines/lifecycle.js';
export { startLifecycle, transitionLogger, type StartOptions } from './core/run.js';
export { defineService, type ServiceDefinition, type Middleware } from './service/define-service.js';
export { EXIT } from './core/exit-codes.js';
export { MAX_WORKERS, resolveWorkerCount } from './config/workers.js';
export { CRASH_LOOP_EXITS, CRASH_LOOP_WINDOW_MS, HEALTHY_UPTIME_MS, RESPAWN_BASE_MS, RESPAWN_FACTOR, RESPAWN_MAX_MS } from './cluster/respawn-policy.js';
export { parseServiceJson, loadServiceJson, type ServiceJson } from './config/service-json.js';
export type { Runner, Mode, DrainOptions } from './core/runner.js';
