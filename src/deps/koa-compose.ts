import { requireCommonJs } from './require.js';

export const compose = requireCommonJs('koa-compose') as typeof import('koa-compose');
