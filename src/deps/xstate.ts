import { requireCommonJs } from './require.js';

export const { assign, createActor, fromCallback, fromPromise, setup } = requireCommonJs('xstate') as typeof import('xstate');
