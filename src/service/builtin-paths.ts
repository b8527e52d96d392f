/** The routes every service gets. Kept apart from app.ts so `manifest` and the up line need no Koa. */
export const BUILTIN_PATHS = { healthcheck: '/healthcheck', status: '/_status' } as const;
