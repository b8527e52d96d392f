import http, { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Router } from '@koa/router';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LifecycleError } from '../../src/core/errors.js';
import { routeTable, type RouteSpec } from '../../src/service/route-table.js';
import { request } from '../helpers/http.js';

/** What a handler can see of the routing, echoed as the body. */
const echo = (label: string): Koa.Middleware => (ctx) => {
  ctx.body = {
    label,
    chain: ctx.state.chain ?? [],
    params: ctx.params,
    requestParams: ctx.request.params,
    captures: ctx.captures,
    routerPath: ctx.routerPath,
    routerName: ctx.routerName,
    matchedRoute: ctx._matchedRoute,
    matchedRouteName: ctx._matchedRouteName,
  };
};
const passOn = (label: string): Koa.Middleware => async (ctx, next) => {
  ctx.state.chain = [...(ctx.state.chain ?? []), label];
  await next();
};

const SPECS: RouteSpec[] = [
  { id: 'hello', path: '/hello/:name', stack: [echo('hello')] },
  { id: 'slow', path: '/slow', stack: [passOn('slow-first'), echo('slow')] },
  { id: 'root', path: '/', stack: [echo('root')] },
  { id: 'dir', path: '/dir/', stack: [echo('dir')] },
  { id: 'files', path: '/files/*rest', stack: [echo('files')] },
  { id: 'optional', path: '/opt{/:x}', stack: [echo('optional')] },
  { id: 'two', path: '/two/:a/:b', stack: [echo('two')] },
  // Two routes on one path (case differs): both run, as one chain.
  { id: 'dupFirst', path: '/dup', stack: [passOn('dupFirst')] },
  { id: 'dupSecond', path: '/DUP', stack: [echo('dupSecond')] },
  // A route that answers nothing: what comes after the routes decides.
  { id: 'silent', path: '/silent', stack: [passOn('silent')] },
  { id: 'status', path: '/teapot', stack: [(ctx) => void (ctx.status = 418)] },
  { id: 'chars', path: '/a.b-c_d~e', stack: [echo('chars')] },
];

const PATHS = [
  '/hello/ada', '/HELLO/Ada', '/hello/ada/', '/hello/ada//', '/hello/', '/hello', '/hello/a%20b', '/hello/%E0%A4%A', '/hello/a%2Fb',
  '/hello/ada?x=1', '/slow', '/slow/', '/Slow', '/slow/x', '/', '//', '/dir', '/dir/', '/dir//', '/files/a/b/c', '/files/', '/files',
  '/opt', '/opt/1', '/opt/1/2', '/two/x/y', '/two/x', '/dup', '/Dup/', '/silent', '/silent/', '/teapot', '/a.b-c_d~e', '/aXb-c_d~e',
  '/nowhere', '/hello/ada?pre=1', '/slow?pre=1',
];
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND', 'COPY', 'PURGE', 'SEARCH'];

/** Middleware in front of the routes, the same on both apps: params already on the context must survive or be overwritten alike. */
const prelude: Koa.Middleware = (ctx, next) => {
  if (ctx.query.pre) ctx.params = { pre: String(ctx.query.pre), name: 'before' };
  return next();
};

function withRouter() {
  const app = new Koa();
  app.use(prelude);
  const router = new Router();
  for (const { id, path, stack } of SPECS) router.all(id, path, ...stack);
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}

function withRouteTable() {
  const app = new Koa();
  app.use(prelude);
  const { routes, allowedMethods } = routeTable(SPECS);
  app.use(routes);
  app.use(allowedMethods);
  return app;
}

async function listen(app: Koa) {
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

describe('the route table answers exactly as @koa/router did, request by request', () => {
  const servers: Server[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  });
  let ports: { router: number; table: number };
  beforeAll(async () => {
    servers.push(await listen(withRouter()), await listen(withRouteTable()));
    const [router, table] = servers.map((s) => (s.address() as AddressInfo).port);
    ports = { router: router!, table: table! };
  });

  const answer = async (port: number, method: string, path: string) => {
    const reply = await request(port, path, { method });
    const { allow, 'content-type': type, 'content-length': length } = reply.headers;
    return { status: reply.status, allow, type, length, body: reply.body };
  };

  test.each(METHODS)('%s on every path of the corpus', async (method) => {
    let routed = 0;
    for (const path of PATHS) {
      const [viaRouter, viaTable] = await Promise.all([answer(ports.router, method, path), answer(ports.table, method, path)]);
      expect({ method, path, ...viaTable }).toEqual({ method, path, ...viaRouter });
      if (viaTable.status === 200) routed++;
    }
    // The corpus really exercises routing for every method, not only 404s.
    expect(routed).toBeGreaterThan(10);
  });

  test('the corpus covers params, chains, 501 and OPTIONS answers (not only 404s)', async () => {
    const hello = JSON.parse((await answer(ports.table, 'GET', '/HELLO/a%20b/')).body);
    expect(hello).toMatchObject({ label: 'hello', params: { name: 'a b' }, routerName: 'hello', matchedRoute: '/hello/:name' });
    expect(JSON.parse((await answer(ports.table, 'GET', '/dup')).body)).toMatchObject({ label: 'dupSecond', chain: ['dupFirst'], routerName: 'dupSecond' });
    const propfind = await answer(ports.table, 'PROPFIND', '/silent');
    expect(propfind.status).toBe(501);
    expect(propfind.allow?.split(', ')).toEqual(['HEAD', ...http.METHODS.filter((m) => m !== 'HEAD')]);
    expect(await answer(ports.table, 'PROPFIND', '/nowhere')).toMatchObject({ status: 501, allow: '' });
    expect(await answer(ports.table, 'OPTIONS', '/silent')).toMatchObject({ status: 200, body: '' });
    expect((await answer(ports.table, 'OPTIONS', '/nowhere')).status).toBe(404);
  });
});

describe('paths the matcher rejects', () => {
  test.each([['/:'], ['/a('], ['/a/*'], ['/a?b'], ['/{a']])('%j is a boot error naming the route field', (path) => {
    const err = (() => {
      try {
        routeTable([{ id: 'ok', path: '/ok', stack: [echo('ok')] }, { id: 'bad', path, stack: [echo('bad')] }]);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(LifecycleError);
    expect((err as LifecycleError).field).toBe('routes.bad.path');
    expect((err as LifecycleError).message.startsWith(`service.json: "routes.bad.path" is ${JSON.stringify(path)}; `)).toBe(true);
    // The router refuses the same paths.
    expect(() => new Router().all('bad', path, echo('bad'))).toThrow();
  });
});
