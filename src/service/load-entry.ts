import { access, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
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

/**
 * `import`/`export` in a `.js` file of a CommonJS package (npm 11's `npm init -y` writes
 * `"type": "commonjs"`): say which package.json decides it and the two ways out.
 */
async function moduleSyntaxFix(file: string, reason: string): Promise<string> {
  if (!file.endsWith('.js') || !/Cannot use import statement outside a module|Unexpected token 'export'/.test(reason)) return '';
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    const text = await readFile(manifest, 'utf8').catch(() => undefined);
    if (text !== undefined) {
      const type = (JSON.parse(text) as { type?: unknown }).type;
      return `; ${manifest} makes .js files CommonJS (${type === undefined ? 'it has no "type"' : `"type": ${JSON.stringify(type)}`}): set "type": "module" there, or rename the entry to index.mjs`;
    }
    if (dirname(dir) === dir) return '; .js files are CommonJS here (no package.json says otherwise): add a package.json with "type": "module", or rename the entry to index.mjs';
  }
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
    const reason = describeError(err).error.replace(/\s*\n\s*/g, ' ');
    throw configError('entry', `${file}: failed to load: ${reason}${await moduleSyntaxFix(file, reason)}`, err);
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
