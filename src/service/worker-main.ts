/**
 * What a cluster primary forks for the CLI's service shape (`serviceApp.workerEntry`): the same
 * lifecycle statechart in the `worker` role, so a worker boots, serves and drains exactly like
 * single-process mode. If the primary dies (even by SIGKILL) the IPC channel closes and
 * node:cluster's own 'disconnect' handler exits this worker at once, so no worker outlives its primary.
 * As in the bin, Node's compile cache goes on before the rest loads (src/core/compile-cache.ts).
 */
import { enableCompileCache } from '../core/compile-cache.js';

enableCompileCache();
const root = process.argv[2];
if (!root) throw new Error('worker-main: missing service root argument');
const { startService } = await import('./start-service.js');
await startService({ root, role: 'worker' });
