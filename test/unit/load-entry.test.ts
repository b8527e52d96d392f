import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { LifecycleError } from '../../src/core/errors.js';
import { EXIT } from '../../src/core/exit-codes.js';
import { ENTRY_NAMES, loadEntry } from '../../src/service/load-entry.js';
import { makeServiceRoot } from '../helpers/service.js';

const rootWith = (entryName: string, entry: string) => makeServiceRoot({ entryName, entry });

async function entryProblem(root: string): Promise<LifecycleError> {
  const err = await loadEntry(root).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(LifecycleError);
  expect((err as LifecycleError).exitCode).toBe(EXIT.BOOT_FAILED);
  expect((err as LifecycleError).message).not.toContain('\n');
  return err as LifecycleError;
}

describe('loadEntry: the shapes a service may export', () => {
  test('the entry names, in the order they are looked for', () => {
    expect(ENTRY_NAMES).toEqual(['index.js', 'index.mjs', 'index.cjs', 'index.ts', 'index.mts']);
  });

  test.each([
    ['index.js', 'export default { routes: { a: (ctx) => { ctx.body = 1; } } };'],
    ['index.mjs', 'export default { routes: { a: [(ctx, next) => next(), (ctx) => { ctx.body = 1; }] } };'],
    ['index.cjs', 'module.exports = { routes: { a: (ctx) => { ctx.body = 1; } } };'],
    ['index.cjs', 'exports.default = { routes: { a: (ctx) => { ctx.body = 1; } } };'],
    ['index.ts', 'const a = (ctx: { body: unknown }): void => { ctx.body = 1; };\nexport default { routes: { a } };'],
    ['index.mts', 'export default { routes: { a: (ctx: { body: unknown }) => { ctx.body = 1; } }, setup(app: unknown) {} };'],
  ])('%s: %s', async (name, entry) => {
    const root = rootWith(name, entry);
    const { file, definition } = await loadEntry(root);
    expect(file).toBe(join(root, name));
    expect(Object.keys(definition.routes)).toEqual(['a']);
  });

  test('index.js wins over index.ts when both exist', async () => {
    const root = makeServiceRoot({
      entry: 'export default { routes: { js: () => {} } };',
      extra: { 'index.ts': 'export default { routes: { ts: () => {} } };' },
    });
    expect(Object.keys((await loadEntry(root)).definition.routes)).toEqual(['js']);
  });

  test('setup, when exported, is kept', async () => {
    const root = rootWith('index.js', 'export default { routes: {}, setup(app) { app.proxy = true; } };');
    expect(typeof (await loadEntry(root)).definition.setup).toBe('function');
  });
});

describe('loadEntry: one line naming the problem', () => {
  test('no entry module lists the names it looked for', async () => {
    const root = makeServiceRoot({ serviceJson: {} });
    const problem = await entryProblem(root);
    expect(problem.field).toBe('entry');
    expect(problem.message).toBe(`${root}: no entry module; create one of index.js, index.mjs, index.cjs, index.ts, index.mts exporting { routes }`);
  });

  test('an entry that throws while loading names the file and the error', async () => {
    const root = rootWith('index.js', 'throw new TypeError("boom at import");');
    const problem = await entryProblem(root);
    expect(problem.message).toBe(`${join(root, 'index.js')}: failed to load: TypeError: boom at import`);
  });

  test('a TypeScript syntax error stays on one line and points at the line and column', async () => {
    const root = rootWith('index.ts', 'export default { routes: { a: (ctx: any => 1 } };');
    const problem = await entryProblem(root);
    expect(problem.message).toMatch(/index\.ts: failed to load: .*index\.ts:1:40: ERROR: Expected "\)" but found "=>"$/);
  });

  test('no default export', async () => {
    const problem = await entryProblem(rootWith('index.js', 'export const routes = {};'));
    expect(problem.message).toMatch(/exports nothing usable; export default \{ routes/);
  });

  test('a default export that is not an object', async () => {
    const problem = await entryProblem(rootWith('index.js', 'export default () => {};'));
    expect(problem.message).toMatch(/exports nothing usable/);
  });

  test('a default export without routes', async () => {
    for (const entry of ['export default {};', 'export default { routes: [] };', 'module.exports = { route: {} };']) {
      const problem = await entryProblem(rootWith(entry.startsWith('module') ? 'index.cjs' : 'index.js', entry));
      expect(problem.message).toMatch(/default export has no "routes" object/);
    }
  });

  test('a route handler that is not a middleware names the route id', async () => {
    for (const handler of ['"/hello"', '[]', '[() => {}, 1]', 'null']) {
      const problem = await entryProblem(rootWith('index.js', `export default { routes: { hello: ${handler} } };`));
      expect(problem.field).toBe('routes.hello');
      expect(problem.message).toMatch(/routes\.hello is \w+; expected a Koa middleware function or a non-empty array of them$/);
    }
  });

  test('a setup that is not a function', async () => {
    const problem = await entryProblem(rootWith('index.js', 'export default { routes: {}, setup: true };'));
    expect(problem.field).toBe('setup');
    expect(problem.message).toMatch(/"setup" is boolean; expected a function/);
  });
});
