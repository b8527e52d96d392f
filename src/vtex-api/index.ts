/**
 * `service-lifecycle/vtex-api`: a drop-in for `@vtex/api`'s `startApp()`. The same inputs (the SDK's
 * layout under the working directory, the environment its loaders read), the same port, up
 * notification and route listing; the app is built by the SDK itself and run by the lifecycle
 * statechart: one process when one worker resolves (linked mode included), a cluster otherwise, with
 * the drain, readiness 503, respawn backoff and crash-loop give-up. See the README's "Platform SDK".
 *
 *   require('service-lifecycle/vtex-api').startApp()      // instead of require('@vtex/api').startApp()
 */
import { resolve } from 'node:path';
import { appActors, clusterRole, optionsFromEnv, startLifecycle } from '../embed.js';
import { lifecycleMachine } from '../../machines/lifecycle.js';
import { vtexApp, type VtexAppOptions } from './app.js';
import { appFolderLayout, sdkLayout } from './layout.js';
import { SDK } from './sdk.js';

export { vtexApp, type VtexAppOptions } from './app.js';
export { LOCAL_DEFAULTS } from './environment.js';
export { appFolderLayout, isPlatformApp, sdkLayout, type AppLayout } from './layout.js';
export { SUPPORTED_SDK_RANGE } from './sdk.js';

export interface StartAppOptions {
  /**
   * An app folder (`manifest.json` beside `node/`) to run locally: its identity comes from
   * manifest.json and public routes answer by path. Default: the SDK's layout under the working
   * directory (`service/service.json`, `service/src/node/index`), as on the platform.
   */
  appRoot?: string;
  /** Public routes by path, the account from a private route's path. Default: on for an app folder, off otherwise. */
  routesByPath?: boolean;
  /** Overrides `PORT` (default 5050, as the SDK). */
  port?: string | number;
}

/**
 * Boots the app and resolves with the running statechart actor. The process then lives until a
 * signal drains it (exit 15 or 2) or a failure ends it (see the README's exit codes).
 */
export async function startApp(options: StartAppOptions = {}) {
  const layout = options.appRoot === undefined ? sdkLayout(process.cwd()) : appFolderLayout(resolve(options.appRoot));
  // The SDK tells the platform it is up with a POST to its local receiver; so does this, unless told otherwise.
  if (layout.kind === 'sdk') process.env.LIFECYCLE_UP_URL ||= SDK.upUrl;
  const port = options.port === undefined ? undefined : String(options.port);
  return runVtexApp({ layout, routesByPath: options.routesByPath ?? layout.kind === 'app-folder' }, { port });
}

/** The machine provided with the app, run with the transition log (`LIFECYCLE_QUIET`, `LIFECYCLE_INSPECT` as the CLI's). */
export async function runVtexApp(options: VtexAppOptions, flags: { port?: string } = {}) {
  const role = clusterRole();
  return startLifecycle({
    machine: lifecycleMachine.provide({ actors: appActors(vtexApp(options)) }),
    root: options.layout.root,
    role,
    flags,
    ...(await optionsFromEnv(process.env, role)),
  });
}
