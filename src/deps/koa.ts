import type Koa from 'koa';
import { requireCommonJs } from './require.js';

export const Application = requireCommonJs('koa') as typeof Koa;
