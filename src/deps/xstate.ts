import { createRequire } from 'node:module';

/**
 * The CommonJS packages the runtime uses are loaded with `require`, each in one module of this
 * folder, so every other file has an ordinary import and each mode loads only what it uses.
 * Imported from ESM instead, Node first parses the package's source for its export names
 * (cjs-module-lexer) at every boot: for xstate (whose `import` entry wraps its CommonJS build), Koa,
 * koa-compose and path-to-regexp that is ~25 ms of CPU and ~3 MiB (bench/NOTES.md). `require` gives
 * the same module instance an `import` of the package gets.
 */
export const { assign, createActor, fromCallback, fromPromise, setup } = createRequire(import.meta.url)('xstate') as typeof import('xstate');
