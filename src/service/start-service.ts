import { lifecycleMachine } from '../../machines/lifecycle.js';
import { appActors } from '../core/app-actors.js';
import { optionsFromEnv, startLifecycle } from '../core/run.js';
import type { Role } from '../core/types.js';
import { serviceApp } from './service-app.js';

/**
 * Boots the CLI's service shape the way any integrator boots an app: the machine provided with
 * `appActors(serviceApp)`, run by `startLifecycle`. `--quiet` and `--inspect-lifecycle` arrive
 * through the environment, so cluster workers (which inherit it) follow them too.
 */
export async function startService(input: { root: string; role: Role; flags?: { port?: string } }) {
  const options = await optionsFromEnv(process.env, input.role);
  return startLifecycle({ machine: lifecycleMachine.provide({ actors: appActors(serviceApp) }), ...input, ...options });
}
