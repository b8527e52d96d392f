import type Koa from 'koa';
import { Application } from '../deps/koa.js';
import type { ServiceJson } from '../config/service-json.js';
import type { AppChannel } from '../core/types.js';
import { configError, LifecycleErrors } from '../core/errors.js';
import { describeError, error as logError } from '../core/log.js';
import { BUILTIN_PATHS } from './builtin-paths.js';
import type { ServiceDefinition } from './define-service.js';
import { routeTable, type RouteSpec } from './route-table.js';


/** What the app needs from the process around it: `ctx.logOnce` and `/_status`. */
export type AppHooks = Pick<AppChannel, 'logOnce' | 'statusTrack'>;

declare module 'koa' {
  interface DefaultContext {
    /** Prints a message once per process (once per cluster when workers > 1). */
    logOnce(message: string): void;
  }
}

/**
 * Checks that service.json and the entry module declare the same route ids. Every id on either side
 * without its partner is one problem line; each names the unmatched ids of the other side too, since
 * two such lists usually mean one name spelt two ways.
 */
export function matchRoutes(serviceJson: ServiceJson, definition: ServiceDefinition, file: string) {
  const declared = serviceJson.routes ?? {};
  const undeclared = Object.keys(definition.routes).filter((id) => !(id in declared));
  const unhandled = Object.keys(declared).filter((id) => !(id in definition.routes));
  const list = (ids: string[]) => ids.map((id) => `"${id}"`).join(', ');
  const problems = [
    ...undeclared.map((id) =>
      configError(
        `routes.${id}`,
        unhandled.length > 0
          ? `${file}: route "${id}" is not declared in service.json, which declares ${list(unhandled)} with no handler; rename one side so the ids match`
          : `${file}: route "${id}" is not declared in service.json${serviceJson.routes ? '' : ' (it has no "routes")'}; add "routes": { "${id}": { "path": "/…" } } there`,
      ),
    ),
    ...unhandled.map((id) =>
      configError(
        `routes.${id}`,
        undeclared.length > 0
          ? `service.json: route "${id}" has no handler in ${file}, which exports ${list(undeclared)} instead; rename one side so the ids match`
          : `service.json: route "${id}" has no handler; export routes.${id} from ${file} or remove it from service.json`,
      ),
    ),
  ];
  if (problems.length === 1) throw problems[0]!;
  if (problems.length > 1) throw new LifecycleErrors(problems);
}

export async function buildApp(serviceJson: ServiceJson, definition: ServiceDefinition, file: string, hooks: AppHooks) {
  matchRoutes(serviceJson, definition, file);
  const app = new Application();
  app.silent = true;
  app.context.logOnce = (message: string) => hooks.logOnce(message);
  app.on('error', (err: unknown, ctx?: Koa.Context) => {
    if ((err as { expose?: boolean }).expose) return; // 4xx thrown on purpose
    logError('request-error', { ...describeError(err), method: ctx?.method, path: ctx?.path });
  });

  const health = {
    routes: Object.fromEntries(Object.entries(serviceJson.routes ?? {}).map(([id, r]) => [id, r.path])),
    events: Object.keys(serviceJson.events ?? {}),
  };
  app.use(async (ctx, next) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    // While draining, the drain answers 503 here before the app runs (serving/drain.ts).
    if (ctx.path === BUILTIN_PATHS.healthcheck) {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = health;
      return;
    }
    if (ctx.path === BUILTIN_PATHS.status) {
      hooks.statusTrack();
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { status: 'ok', pid: process.pid };
      return;
    }
    return next();
  });

  try {
    await definition.setup?.(app);
  } catch (err) {
    throw configError('setup', `${file}: setup() failed: ${describeError(err).error}; its stack says where (the service cannot start without it)`, err);
  }

  const specs: RouteSpec[] = Object.entries(serviceJson.routes ?? {}).map(([id, route]) => {
    const handler = definition.routes[id]!;
    return { id, path: route.path, stack: Array.isArray(handler) ? handler : [handler] };
  });
  const { routes, allowedMethods } = routeTable(specs);
  app.use(routes);
  app.use(allowedMethods);
  return app;
}
