export { lifecycleMachine } from '../machines/lifecycle.js';
export * from './embed.js';
export type * from './types.js';
export { defineService } from './service/define-service.js';
export { CRASH_LOOP_EXITS, CRASH_LOOP_WINDOW_MS, HEALTHY_UPTIME_MS, RESPAWN_BASE_MS, RESPAWN_FACTOR, RESPAWN_MAX_MS } from './cluster/respawn-policy.js';
export { parseServiceJson } from './config/service-json.js';
