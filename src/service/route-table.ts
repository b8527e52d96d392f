import { METHODS } from 'node:http';
import type Koa from 'koa';
import type { Keys } from 'path-to-regexp';
import { compose, pathToRegexp } from '../deps/koa.js';
import { configError } from '../core/errors.js';
import { describeError } from '../core/log.js';

declare module 'koa' {
  interface Request {
    /** The matched route's decoded path parameters (also `ctx.params`). */
    params: Record<string, string>;
  }
}

/** One declared route: its id and path from service.json, its handlers from the entry module. */
export interface RouteSpec {
  id: string;
  path: string;
  stack: Koa.Middleware[];
}

/**
 * Routes service.json's table the way `@koa/router`'s `router.all(id, path, ...handlers)` plus
 * `routes()` and `allowedMethods()` did, on the same path-to-regexp 8 matching with the same options
 * (case-insensitive, optional trailing slash). The router itself cost ~4 MiB and ~30 ms at every boot
 * (bench/NOTES.md); test/unit/route-table.test.ts holds the two side by side on one request corpus.
 *
 * A handler sees `ctx.params` (decoded), `ctx.captures`, `ctx.routerPath`, `ctx.routerName` (the
 * route id) and `ctx._matchedRoute`/`ctx._matchedRouteName`, as under the router; there is no
 * `ctx.router`. A path matched by several routes runs their handlers as one chain, in declaration
 * order. When nothing answers: methods Node parses but Koa apps do not implement get 501 with
 * `Allow`, and OPTIONS on a route's path gets 200 with `Allow` (every route takes every method).
 */
export function routeTable(specs: RouteSpec[]): { routes: Koa.Middleware; allowedMethods: Koa.Middleware } {
  const table = specs.map(compileRoute);
  const routes: Koa.Middleware = (ctx, next) => {
    const path: string = ctx.newRouterPath || ctx.path || ctx.routerPath || '';
    let first: CompiledRoute | undefined;
    let more: CompiledRoute[] | undefined;
    for (const route of table) {
      if (!route.regexp.test(path)) continue;
      if (!first) first = route;
      else (more ??= [first]).push(route);
    }
    ctx.routeMatched = first !== undefined;
    if (!first) return next();
    const last = more ? more[more.length - 1]! : first;
    ctx._matchedRoute = last.path;
    ctx._matchedRouteName = last.id;
    return (more ? compose(more.map((route) => route.chain)) : first.chain)(ctx, next);
  };
  const allowedMethods: Koa.Middleware = (ctx, next) =>
    next().then(() => {
      if (ctx.status && ctx.status !== 404) return;
      const allow = ctx.routeMatched ? ROUTE_METHODS : '';
      const method = ctx.method.toUpperCase();
      if (!IMPLEMENTED_METHODS.has(method)) {
        ctx.status = 501;
        ctx.set('Allow', allow);
      } else if (method === 'OPTIONS' && allow) {
        ctx.status = 200;
        ctx.body = '';
        ctx.set('Allow', allow);
      }
    });
  return { routes, allowedMethods };
}

/** Every method Node's parser accepts, GET's implicit HEAD first: what a route declared for all methods allows. */
const ROUTE_METHODS = ['HEAD', ...METHODS.filter((method) => method !== 'HEAD')].join(', ');
/** Anything else is answered 501 when no handler answered it. */
const IMPLEMENTED_METHODS = new Set(['HEAD', 'OPTIONS', 'GET', 'PUT', 'PATCH', 'POST', 'DELETE']);

interface CompiledRoute {
  id: string;
  path: string;
  regexp: RegExp;
  /** Sets the route's fields on the context, then runs its handlers. */
  chain: Koa.Middleware;
}

function compileRoute({ id, path, stack }: RouteSpec): CompiledRoute {
  const { regexp, keys } = compilePath(id, path);
  const handlers = compose(stack);
  const chain: Koa.Middleware = (ctx, next) => {
    const captures = keys.length > 0 ? (regexp.exec(ctx.newRouterPath || ctx.path || ctx.routerPath || '')?.slice(1) ?? []) : [];
    ctx.captures = captures;
    ctx.params = ctx.request.params = paramsOf(keys, captures, ctx.params);
    ctx.routerPath = ctx._matchedRoute = path;
    ctx.routerName = ctx._matchedRouteName = id;
    return handlers(ctx, next);
  };
  return { id, path, regexp, chain };
}

/** A path the matcher cannot parse is a boot error naming the route's field, in path-to-regexp's words. */
function compilePath(id: string, path: string) {
  try {
    return pathToRegexp(path, { sensitive: false, end: true, trailing: true });
  } catch (err) {
    const reason = describeError(err).error.replace(/^\w*Error: /, '').replace(/; visit .*$/, '');
    throw configError(`routes.${id}.path`, `service.json: "routes.${id}.path" is ${JSON.stringify(path)}; ${reason} (see @koa/router path syntax)`);
  }
}

/** Params already on the context stay unless this route captures the same name; empty captures are left out. */
function paramsOf(keys: Keys, captures: string[], existing: Record<string, string> | undefined) {
  const params: Record<string, string> = { ...existing };
  captures.forEach((value, i) => {
    const key = keys[i];
    if (key && value) params[key.name] = decodeOrKeep(value);
  });
  return params;
}

function decodeOrKeep(text: string) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
