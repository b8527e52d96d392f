import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { sleep } from '../helpers/http.js';
import { fixtureRoot } from '../helpers/fixture.js';
import { REPO, trackServices } from '../helpers/service.js';

const services = trackServices();
afterEach(() => services.cleanup());

const REGISTER = join(REPO, 'test/integration/fixtures/register-hold.mjs');

async function until(condition: () => boolean, timeoutMs = 10_000) {
  const end = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > end) throw new Error('condition not met in time');
    await sleep(10);
  }
}

test.each([
  ['SIGTERM', 15],
  ['SIGINT', 2],
] as const)('%s while the CLI is still loading is held for the statechart: exit %i, never serves', async (signal, code) => {
  const root = fixtureRoot(1);
  const hold = mkdtempSync(join(tmpdir(), 'hold-'));
  const svc = services.start(root, { nodeArgs: ['--import', REGISTER], env: { HOLD_DIR: hold } });
  await until(() => existsSync(join(hold, 'reached')));
  svc.kill(signal);
  await sleep(100);
  // Still alive: the signal did not take its default action.
  expect(svc.child.exitCode).toBeNull();
  expect(svc.child.signalCode).toBeNull();
  writeFileSync(join(hold, 'go'), '');
  const exit = await svc.exited;
  expect(exit.code).toBe(code);
  expect(svc.lines.some((l) => l.type === 'signal-before-serving' && l.signal === signal)).toBe(true);
  expect(svc.lines.some((l) => l.type === 'up')).toBe(false);
});
