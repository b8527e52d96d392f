import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import type { ServiceJson } from '../../src/config/service-json.js';
import { LifecycleError } from '../../src/core/errors.js';
import { EXIT } from '../../src/core/exit-codes.js';
import { buildApp, matchRoutes, type AppHooks } from '../../src/service/app.js';
import type { ServiceDefinition } from '../../src/service/define-service.js';
import { request } from '../helpers/http.js';

const ok: ServiceDefinition['routes'][string] = (ctx) => {
  ctx.body = { ok: true };
};

function mismatch(serviceJson: ServiceJson, routes: ServiceDefinition['routes']): LifecycleError {
  try {
    matchRoutes(serviceJson, { routes }, '/srv/index.js');
  } catch (err) {
    expect(err).toBeInstanceOf(LifecycleError);
    return err as LifecycleError;
  }
  throw new Error('routes matched');
}

describe('route ids: the module and service.json must declare the same ones', () => {
  test('the same ids on both sides match, in any order', () => {
    expect(() =>
      matchRoutes({ routes: { a: { path: '/a' }, b: { path: '/b' } } }, { routes: { b: ok, a: ok } }, '/srv/index.js'),
    ).not.toThrow();
    expect(() => matchRoutes({}, { routes: {} }, '/srv/index.js')).not.toThrow();
  });

  test('an id in the module but not in service.json is a boot error naming the id', () => {
    const problem = mismatch({ routes: { a: { path: '/a' } } }, { a: ok, extra: ok });
    expect(problem.exitCode).toBe(EXIT.BOOT_FAILED);
    expect(problem.field).toBe('routes.extra');
    expect(problem.message).toBe('/srv/index.js: route "extra" is not declared in service.json; add "routes": { "extra": { "path": "/…" } } there');
  });

  test('service.json without routes at all still names the id the module exports', () => {
    expect(mismatch({}, { hello: ok }).field).toBe('routes.hello');
  });

  test('an id in service.json without a handler is a boot error naming the id', () => {
    const problem = mismatch({ routes: { a: { path: '/a' }, orphan: { path: '/o' } } }, { a: ok });
    expect(problem.exitCode).toBe(EXIT.BOOT_FAILED);
    expect(problem.field).toBe('routes.orphan');
    expect(problem.message).toBe('service.json: route "orphan" has no handler; export routes.orphan from /srv/index.js or remove it from service.json');
  });
});

const hooks = (): AppHooks & { statusCalls: number } => {
  const h = {
    statusCalls: 0,
    statusTrack: () => void h.statusCalls++,
    logOnce: () => {},
  };
  return h;
};

describe('buildApp', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  async function serve(serviceJson: ServiceJson, routes: ServiceDefinition['routes'], appHooks: AppHooks) {
    const app = await buildApp(serviceJson, { routes }, '/srv/index.js', appHooks);
    server = createServer(app.callback());
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }

  test('checks route ids before anything else', async () => {
    await expect(buildApp({}, { routes: { hello: ok } }, '/srv/index.js', hooks())).rejects.toThrow(/route "hello" is not declared/);
  });

  test.each([['/:'], ['/a('], ['/a/*'], ['/a?b']])('a path %j that @koa/router rejects is a boot error naming the field', async (path) => {
    const err = await buildApp({ routes: { a: { path } } }, { routes: { a: ok } }, '/srv/index.js', hooks()).catch((e: LifecycleError) => e);
    expect(err).toBeInstanceOf(LifecycleError);
    expect((err as LifecycleError).field).toBe('routes.a.path');
    expect((err as LifecycleError).exitCode).toBe(EXIT.BOOT_FAILED);
    expect((err as LifecycleError).message).toMatch(new RegExp(`^service\\.json: "routes\\.a\\.path" is ${JSON.stringify(path).replace(/[?*(]/g, '\\$&')}; .+ \\(see @koa/router path syntax\\)$`));
  });

  test('mounts each route at its path (with params), plus /healthcheck and /_status', async () => {
    const h = hooks();
    const port = await serve(
      { routes: { greet: { path: '/greet/:name' }, chain: { path: '/chain' } }, events: { onSku: {} } },
      {
        greet: (ctx) => {
          ctx.body = { hello: ctx.params.name };
        },
        chain: [
          async (ctx, next) => {
            ctx.state.seen = ['first'];
            await next();
          },
          (ctx) => {
            ctx.body = { seen: [...ctx.state.seen, 'second'] };
          },
        ],
      },
      h,
    );
    expect(JSON.parse((await request(port, '/greet/ada')).body)).toEqual({ hello: 'ada' });
    expect(JSON.parse((await request(port, '/chain')).body)).toEqual({ seen: ['first', 'second'] });
    const health = await request(port, '/healthcheck');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ routes: { greet: '/greet/:name', chain: '/chain' }, events: ['onSku'] });
    expect((await request(port, '/nowhere')).status).toBe(404);
    const status = await request(port, '/_status');
    expect(status.status).toBe(200);
    expect(h.statusCalls).toBe(1);
  });
});
