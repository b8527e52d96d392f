import { createRequire } from 'node:module';
import type Koa from 'koa';

/** Koa and what the route table is built on, required as deps/xstate.ts explains; loaded only where an app is built. */
const require = createRequire(import.meta.url);
export const Application = require('koa') as typeof Koa;
export const compose = require('koa-compose') as typeof import('koa-compose');
export const { pathToRegexp } = require('path-to-regexp') as typeof import('path-to-regexp');
