/**
 * Local runs: call a platform app by path, as the platform's router would. The SDK dispatches public
 * routes only by the `x-colossus-route-id` header (with `x-colossus-params`) and reads the account
 * from `x-vtex-account` on every route; off the platform nobody sends them. Each request gets what
 * its path implies, and a header already present is never replaced (on the platform they all are).
 */
import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import { stringify } from 'node:querystring';
import { log } from '../embed.js';
import type { ServiceJson } from '../types.js';
import { SDK } from './sdk.js';

type Match = (path: string) => false | { params: Record<string, string | string[]> };

/** A malformed escape (`%E0%A4%A`) is left as it is, for the app to answer. */
const decode = (text: string) => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

/**
 * What adds the headers to a request. A public route called by path gets the environment's account
 * and workspace (`VTEX_ACCOUNT`, `VTEX_WORKSPACE`: see LOCAL_DEFAULTS).
 */
export function routesByPath(serviceJson: ServiceJson, env: NodeJS.ProcessEnv): (req: IncomingMessage) => void {
  const { match } = createRequire(import.meta.url)('path-to-regexp') as { match(path: string, options: object): Match };
  // Public (or extensible) routes, in service.json's order, with the router's syntax (`/:name`, `/*name`).
  const publicRoutes: Array<{ id: string; match: Match }> = [];
  for (const [id, route] of Object.entries(serviceJson.routes ?? {})) {
    if (!route.public && !(route as { extensible?: unknown }).extensible) continue;
    try {
      publicRoutes.push({ id, match: match(route.path, { decode }) });
    } catch (err) {
      // Only the local convenience is lost: the route still answers with the platform's headers.
      log('warn', 'route-by-path-skipped', { route: id, path: route.path, error: (err as Error).message, note: `call it with -H 'x-colossus-route-id: ${id}'` });
    }
  }
  const builtins = new Set<string>(SDK.builtins);

  return (req) => {
    const headers = req.headers;
    const path = (req.url ?? '/').split('?')[0]!;
    if (builtins.has(path)) return;
    if (!headers['x-colossus-route-id']) {
      for (const route of publicRoutes) {
        const found = route.match(path);
        if (!found) continue;
        const params = Object.fromEntries(Object.entries(found.params).map(([key, value]) => [key, Array.isArray(value) ? value.join('/') : value]));
        headers['x-colossus-route-id'] = route.id;
        headers['x-colossus-params'] = stringify(params);
        headers['x-vtex-account'] ??= env.VTEX_ACCOUNT;
        headers['x-vtex-workspace'] ??= env.VTEX_WORKSPACE;
        return;
      }
    }
    // Private routes answer at /:account/:workspace/…, but the SDK takes the account from the header.
    const [, account, workspace] = path.split('/');
    if (account && workspace) {
      headers['x-vtex-account'] ??= decode(account);
      headers['x-vtex-workspace'] ??= decode(workspace);
    }
  };
}
