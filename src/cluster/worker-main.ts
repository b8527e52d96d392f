/**
 * Entry of a process forked by the cluster primary: the same lifecycle statechart in the
 * `worker` role, so a worker boots, serves and drains exactly like single-process mode.
 */
import { startLifecycle } from '../run.js';

const root = process.argv[2];
if (!root) throw new Error('worker-main: missing service root argument');
const actor = startLifecycle({ root, role: 'worker' });
// The primary is gone (even SIGKILLed): drain fast instead of serving as an orphan.
process.on('disconnect', () => actor.send({ type: 'SIGINT' }));
