import { fileURLToPath } from 'node:url';
import type { AppOptions } from '../core/types.js';
import { BUILTIN_PATHS } from './builtin-paths.js';

/**
 * The CLI's own service shape, as an app of the embedding API: `service.json` and an entry module
 * exporting `{ routes, setup? }` in the root, built into a Koa app with the built-in routes. Koa and
 * the entry are loaded only in a process that serves.
 */
export const serviceApp: AppOptions = {
  healthPath: BUILTIN_PATHS.healthcheck,
  builtins: Object.values(BUILTIN_PATHS),
  workerEntry: fileURLToPath(new URL('./worker-main.js', import.meta.url)),
  workerArgs: (config) => [config.root],
  async app({ config, channel }) {
    const [{ loadEntry }, { buildApp }] = await Promise.all([import('./load-entry.js'), import('./app.js')]);
    const { definition, file } = await loadEntry(config.root);
    return (await buildApp(config.serviceJson, definition, file, channel)).callback();
  },
};
