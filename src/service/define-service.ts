import type Koa from 'koa';

export type Middleware = Koa.Middleware;

/** What a service's entry module exports by default. */
export interface ServiceDefinition {
  /** One handler (or a chain) per route id declared in service.json `routes`. */
  routes: Record<string, Middleware | Middleware[]>;
  /** Runs once before routes are mounted: add app-wide middleware, set `app.proxy`, etc. */
  setup?(app: Koa): void | Promise<void>;
}

/** Identity helper that types an entry module's default export. */
export function defineService<T extends ServiceDefinition>(service: T): T {
  return service;
}
