/**
 * What a cluster primary forks for the CLI's service shape (`serviceApp.workerEntry`): the same
 * lifecycle statechart in the `worker` role, so a worker boots, serves and drains exactly like
 * single-process mode. If the primary dies (even by SIGKILL) the IPC channel closes and
 * node:cluster's own 'disconnect' handler exits this worker at once, so no worker outlives its primary.
 */
import { startService } from './start-service.js';

const root = process.argv[2];
if (!root) throw new Error('worker-main: missing service root argument');
await startService({ root, role: 'worker' });
