/**
 * Entry of a process forked by the cluster primary: the same lifecycle statechart in the
 * `worker` role, so a worker boots, serves and drains exactly like single-process mode.
 * If the primary dies (even by SIGKILL) the IPC channel closes and node:cluster's own
 * 'disconnect' handler exits this worker at once, so no worker outlives its primary.
 */
import { optionsFromEnv, startLifecycle } from '../core/run.js';

const root = process.argv[2];
if (!root) throw new Error('worker-main: missing service root argument');
// --quiet and --inspect-lifecycle reach the worker through the environment it inherits.
startLifecycle({ root, role: 'worker', ...(await optionsFromEnv(process.env, 'worker')) });
