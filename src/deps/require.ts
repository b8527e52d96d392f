import { createRequire } from 'node:module';

/**
 * Loads a CommonJS package with `require`. Imported from ESM instead, Node first parses the package's
 * source for its export names (cjs-module-lexer) at every boot: for xstate (whose `import` entry wraps
 * its CommonJS build), Koa, koa-compose and path-to-regexp that is ~25 ms of CPU and ~3 MiB
 * (bench/NOTES.md). It is the same module instance an `import` of the package gets.
 */
export const requireCommonJs = createRequire(import.meta.url);
