import { DEFAULT_HEALTH_PATH } from '../serving/drain.js';

/** The routes every service gets. Kept apart from app.ts so `manifest` and the up line need no Koa. */
export const BUILTIN_PATHS = { healthcheck: DEFAULT_HEALTH_PATH, status: '/_status' } as const;
