/**
 * The inspector costs nothing to a service started without it: not one of its modules (nor ws,
 * nor @statelyai/inspect) is loaded, in either mode. With it, the service loads the client side
 * only; the relay, its page and Mermaid load in `inspect` alone.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, test } from 'vitest';
import { trackServices, workersOnline } from '../helpers/service.js';
import { fixtureRoot } from '../helpers/fixture.js';
import { deadInspectorUrl } from './receiver.js';

const PROBE = fileURLToPath(new URL('./fixtures/loaded-modules.mjs', import.meta.url));
const services = trackServices();
afterEach(() => services.cleanup());

/** Boots, drains and lists what every process of the service loaded (paths and URLs, in our tree or node_modules). */
async function loadedBy(workers: number, args: string[] = []) {
  const file = join(mkdtempSync(join(tmpdir(), 'loaded-')), 'modules.txt');
  const root = fixtureRoot(workers);
  const svc = services.start(root, { nodeArgs: ['--import', PROBE], args: ['--quiet', ...args], env: { LOADED_MODULES_FILE: file } });
  await svc.up();
  if (workers > 1) await workersOnline(svc, workers);
  svc.kill('SIGTERM');
  expect((await svc.exited).code).toBe(15);
  return [...new Set(readFileSync(file, 'utf8').split('\n').filter(Boolean))];
}

const INSPECTOR = /\/src\/inspector\/|\/node_modules\/(ws|@statelyai)\//;
const RELAY_ONLY = /\/src\/inspector\/(server|assets|live-model|schema|security|viewers|rate-limited-warn)\.js|\/src\/inspector\/page\/|mermaid|\/src\/diagram\//;

test.each([
  { mode: 'single', workers: 1 },
  { mode: 'cluster', workers: 2 },
])('$mode mode without --inspect-lifecycle loads no inspector module', async ({ workers }) => {
  const loaded = await loadedBy(workers);
  expect(loaded.length).toBeGreaterThan(20); // the probe saw the service's own modules
  expect(loaded.filter((m) => INSPECTOR.test(m))).toEqual([]);
});

test('with --inspect-lifecycle a service loads the client side only', async () => {
  const loaded = await loadedBy(2, [`--inspect-lifecycle=${await deadInspectorUrl()}`]);
  expect(loaded.some((m) => m.includes('/src/inspector/connect.js'))).toBe(true);
  expect(loaded.filter((m) => RELAY_ONLY.test(m))).toEqual([]);
});
