import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { configError } from '../core/errors.js';
import { describeError } from '../core/log.js';
import type { ServiceDefinition } from './define-service.js';

export const ENTRY_NAMES = ['index.js', 'index.mjs', 'index.cjs', 'index.ts', 'index.mts'] as const;

async function findEntry(root: string): Promise<string> {
  for (const name of ENTRY_NAMES) {
    const file = join(root, name);
    try {
      await access(file);
      return file;
    } catch {
      // try the next name
    }
  }
  throw configError('entry', `${root}: no entry module; create one of ${ENTRY_NAMES.join(', ')} exporting { routes }`);
}

async function importEntry(file: string): Promise<unknown> {
  if (/\.m?ts$/.test(file)) {
    // Only TypeScript entries pay for the loader.
    const { tsImport } = await import('tsx/esm/api');
    return tsImport(pathToFileURL(file).href, import.meta.url);
  }
  return import(pathToFileURL(file).href);
}

function isMiddleware(value: unknown) {
  return typeof value === 'function' || (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'function'));
}

/** Imports the service's entry module and checks the shape of its default export. */
export async function loadEntry(root: string): Promise<{ file: string; definition: ServiceDefinition }> {
  const file = await findEntry(root);
  let mod: unknown;
  try {
    mod = await importEntry(file);
  } catch (err) {
    // Transform errors (tsx/esbuild) span several lines; the log keeps one line per problem.
    throw configError('entry', `${file}: failed to load: ${describeError(err).error.replace(/\s*\n\s*/g, ' ')}`);
  }
  // ESM default export; CommonJS module.exports arrives as default too (tsx may nest it once more).
  let definition = (mod as { default?: unknown }).default;
  if (definition && typeof definition === 'object' && 'default' in definition && !('routes' in definition)) {
    definition = (definition as { default: unknown }).default;
  }
  if (!definition || typeof definition !== 'object') {
    throw configError('entry', `${file}: exports nothing usable; export default { routes: { <routeId>: handler } } (see defineService)`);
  }
  const { routes, setup } = definition as Partial<ServiceDefinition>;
  if (!routes || typeof routes !== 'object' || Array.isArray(routes)) {
    throw configError('entry', `${file}: default export has no "routes" object; export default { routes: { <routeId>: handler } }`);
  }
  for (const [id, handler] of Object.entries(routes)) {
    if (!isMiddleware(handler)) {
      throw configError(`routes.${id}`, `${file}: routes.${id} is ${typeof handler}; expected a Koa middleware function or a non-empty array of them`);
    }
  }
  if (setup !== undefined && typeof setup !== 'function') {
    throw configError('setup', `${file}: "setup" is ${typeof setup}; expected a function (app) => void`);
  }
  return { file, definition: definition as ServiceDefinition };
}
