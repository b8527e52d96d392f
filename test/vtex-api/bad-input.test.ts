/**
 * Issue 12, bad input: every problem of a platform app is one boot-failed line naming what is wrong
 * and the fix, exit 78, found before anything forks, nothing left running (a public path that only
 * the local routing by path cannot read is a warning). And the adapter costs a
 * service that is not a platform app nothing: `start` loads only the folder-layout check.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { request } from '../helpers/http.js';
import { childPids } from '../../support/proc.js';
import { REPO, settled, trackServices, type RunningService } from '../helpers/service.js';
import { appFolderCopy, sdkStage, VTEX_EXAMPLE } from '../helpers/vtex-app.js';
import { ofType } from './checks.js';

const services = trackServices();
afterEach(() => services.cleanup());

/** A copy of the example app, broken by `edit(root)`; in a cluster (workers: 2) so a late check would show forks. */
function broken(edit: (root: string) => void, opts: { modules?: boolean } = {}) {
  const root = appFolderCopy({ serviceJson: (s) => (s.workers = 2), modules: opts.modules });
  edit(root);
  return root;
}

async function bootFails(svc: RunningService) {
  expect((await svc.exited).code).toBe(78);
  const failed = svc.lines.filter(ofType('boot-failed'));
  expect(failed).toHaveLength(1);
  expect(svc.lines.some(ofType('worker-online')), 'nothing forked').toBe(false);
  return failed[0]!;
}

const installSdk = (root: string, version: string) => {
  mkdirSync(join(root, 'node/node_modules/@vtex/api'), { recursive: true });
  writeFileSync(join(root, 'node/node_modules/@vtex/api/package.json'), JSON.stringify({ name: '@vtex/api', version, main: 'index.js' }));
};

describe('start <app-root>', () => {
  test('a public path the path matcher cannot read: a warning, the route skipped for calls by path only', async () => {
    // Only in service.json (the SDK ignores a route the Service has no handler for).
    const root = appFolderCopy({ serviceJson: (s) => ((s.routes as Record<string, unknown>).old = { path: '/_v/old/:id?', public: true }) });
    const svc = services.start(root);
    const { port } = await svc.up();
    expect(await svc.waitForLine(ofType('route-by-path-skipped'))).toMatchObject({ level: 'warn', route: 'old', path: '/_v/old/:id?' });
    expect((await request(port, '/_v/status/200')).status).toBe(200);
  });

  test.each([
    ['invalid JSON', '{ "vendor": "vtex", }', 'manifest.json', /manifest\.json: invalid JSON \(.*\); fix the syntax there$/],
    ['no vendor', '{ "name": "app", "version": "1.0.0" }', 'manifest.json.vendor', /manifest\.json: "vendor" missing; expected a non-empty string such as "acme"$/],
    ['a version that is not semver', '{ "vendor": "vtex", "name": "app", "version": "latest" }', 'manifest.json.version', /"version" is "latest"; expected a semver version such as "0\.1\.0"$/],
  ])('manifest.json with %s', async (_, text, field, message) => {
    const failed = await bootFails(services.start(broken((root) => writeFileSync(join(root, 'manifest.json'), text))));
    expect(failed).toMatchObject({ level: 'error', field });
    expect(failed.message).toMatch(message);
  });

  test('no node/service.json', async () => {
    const root = broken((r) => rmSync(join(r, 'node/service.json')));
    const failed = await bootFails(services.start(root));
    expect(failed.message).toBe(`${join(root, 'node/service.json')}: not found; create it (e.g. {"workers": 1, "routes": {}}) or pass the service root`);
  });

  test('no entry module in node/', async () => {
    const root = broken((r) => rmSync(join(r, 'node/index.ts')));
    const failed = await bootFails(services.start(root));
    expect(failed).toMatchObject({ field: 'entry', message: `${join(root, 'node')}: no entry module; create index.ts or index.js there exporting default new Service({ … })` });
  });

  test.each(['6.0.0', '7.1.0'])('@vtex/api %s installed for the app: outside the supported range, checked before it loads', async (version) => {
    const root = broken((r) => installSdk(r, version), { modules: false });
    const failed = await bootFails(services.start(root));
    expect(failed).toMatchObject({
      field: '@vtex/api',
      message: `@vtex/api ${version} (${join(root, 'node/node_modules/@vtex/api')}) is outside the supported range >=6.28.1 <7; install "@vtex/api": "^6.51.3"`,
    });
  });

  test('an app that cannot require @vtex/api itself (only service-lifecycle has it)', async () => {
    const root = appFolderCopy({ modules: false });
    const failed = await bootFails(services.start(root));
    expect(failed.field).toBe('@vtex/api');
    expect(failed.message).toMatch(/: the app cannot require @vtex\/api \(service-lifecycle's copy at .* is not on its path\); add "@vtex\/api": "\^6\.51\.3" to the app's package\.json and run npm install there$/);
  });

  test('an entry that throws while the SDK loads it', async () => {
    const root = appFolderCopy();
    writeFileSync(join(root, 'node/index.ts'), "throw new Error('fixture: broken entry')\n");
    const svc = services.start(root);
    expect((await svc.exited).code).toBe(78);
    expect(svc.lines.find(ofType('boot-failed'))).toMatchObject({ field: 'entry', message: `${join(root, 'node')}: the app failed to build: fixture: broken entry` });
  });
});

test('startApp() in the SDK layout without VTEX_APP_ID names it and the fix', async () => {
  const stage = sdkStage({ workers: 1 });
  const svc = services.start(stage, { command: [process.execPath, 'ours.cjs'], cwd: stage, env: { VTEX_APP_ID: undefined } });
  const failed = await bootFails(svc);
  expect(failed).toMatchObject({ field: 'VTEX_APP_ID' });
  expect(failed.message).toMatch(/^VTEX_APP_ID is not set; .* set it, or run the app folder with service-lifecycle start <app-root>$/);
  rmSync(stage, { recursive: true, force: true });
}, 60_000);

describe('the adapter loads only for a platform app', () => {
  const PROBE = fileURLToPath(new URL('./fixtures/load-probe.mjs', import.meta.url));
  // Read after the exit, when all of stdout is in: on Node 20 the hooks thread posts its lines.
  const stopped = async (svc: RunningService) => {
    svc.kill('SIGTERM');
    expect((await settled(svc)).code).toBe(15);
  };
  const loaded = (svc: RunningService) => svc.lines.filter(ofType('probe-loaded')).map((l) => l.url as string);

  test('a service root of the CLI\'s own shape loads only the detector (node:fs and node:path), none of the SDK', async () => {
    const svc = services.start(join(REPO, 'examples/hello'), { nodeArgs: ['--import', PROBE] });
    const { port } = await svc.up();
    expect((await request(port, '/hello/world')).status).toBe(200);
    await stopped(svc);
    expect(loaded(svc)).toEqual([`file://${join(REPO, 'dist/src/vtex-api/layout.js')}`]);
  });

  test('a platform app folder loads the adapter and the SDK, in the one process', async () => {
    const svc = services.start(VTEX_EXAMPLE, { nodeArgs: ['--import', PROBE] });
    await svc.up();
    const children = childPids(svc.child.pid!);
    await stopped(svc);
    const urls = loaded(svc);
    expect(urls.some((url) => url.includes('/dist/src/vtex-api/index.js'))).toBe(true);
    expect(urls.some((url) => url.includes('/node_modules/@vtex/api/lib/index.js'))).toBe(true);
    expect(children).toEqual([]);
  });
});
