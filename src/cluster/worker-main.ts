/**
 * Entry of a process forked by the cluster primary: the same lifecycle statechart in the
 * `worker` role, so a worker boots, serves and drains exactly like single-process mode.
 * If the primary dies (even by SIGKILL) the IPC channel closes and node:cluster's own
 * 'disconnect' handler exits this worker at once, so no worker outlives its primary.
 */
import { startLifecycle } from '../run.js';

const root = process.argv[2];
if (!root) throw new Error('worker-main: missing service root argument');
startLifecycle({ root, role: 'worker' });
