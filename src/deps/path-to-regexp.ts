import { requireCommonJs } from './require.js';

export const { pathToRegexp } = requireCommonJs('path-to-regexp') as typeof import('path-to-regexp');
