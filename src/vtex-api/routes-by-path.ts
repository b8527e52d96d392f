/**
 * Local runs: call a platform app by path, as the platform's router would. The SDK dispatches public
 * routes only by the `x-colossus-route-id` header (with `x-colossus-params`) and reads the account
 * from `x-vtex-account` on every route; off the platform nobody sends them. Each request gets what
 * its path implies, and a header already present is never replaced (on the platform they all are).
 */
import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import { stringify } from 'node:querystring';
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

/** Account and workspace of a public route called by path: the environment's (see LOCAL_DEFAULTS). */
export function routesByPath(serviceJson: ServiceJson, env: NodeJS.ProcessEnv): (req: IncomingMessage) => void {
  const { match } = createRequire(import.meta.url)('path-to-regexp') as { match(path: string, options: object): Match };
  // Public (or extensible) routes, in service.json's order; the same syntax as the router's, `*name` included.
  const publicRoutes = Object.entries(serviceJson.routes ?? {})
    .filter(([, route]) => route.public || (route as { extensible?: unknown }).extensible)
    .map(([id, route]) => ({ id, match: match(route.path, { decode }) }));
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
