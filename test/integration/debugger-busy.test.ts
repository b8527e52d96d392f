import { afterEach, expect, test } from 'vitest';
import { holdPort, type HeldPort } from '../../support/ports.js';
import { request } from '../helpers/http.js';
import { fixtureRoot } from '../helpers/fixture.js';
import { trackServices } from '../helpers/service.js';

const services = trackServices();
const blockers: HeldPort[] = [];
afterEach(async () => {
  await services.cleanup();
  await Promise.all(blockers.splice(0).map((held) => held.close()));
});

test('linked mode with INSPECT_PORT taken: a debugger-unavailable warning names the port, the service still serves', async () => {
  const blocker = await holdPort('127.0.0.1');
  blockers.push(blocker);
  const taken = blocker.port;
  const root = fixtureRoot(1);
  const svc = services.start(root, { env: { SERVICE_LINKED: '1', INSPECT_PORT: String(taken) } });
  const { port } = await svc.up();
  const warning = await svc.waitForLine((l) => l.type === 'debugger-unavailable');
  expect(warning.level).toBe('warn');
  expect(warning.port).toBe(taken);
  expect(String(warning.fix)).toMatch(/INSPECT_PORT/);
  expect(svc.lines.some((l) => l.type === 'debugger')).toBe(false);
  expect((await request(port, '/hello')).status).toBe(200);
});
