import net from 'node:net';
import { afterEach, expect, test } from 'vitest';
import { request } from '../helpers/http.js';
import { HELLO_ENTRY, helloServiceJson, makeServiceRoot, trackServices } from '../helpers/service.js';

const services = trackServices();
const blockers: net.Server[] = [];
afterEach(async () => {
  await services.cleanup();
  for (const server of blockers.splice(0)) server.close();
});

test('linked mode with INSPECT_PORT taken: a debugger-unavailable warning names the port, the service still serves', async () => {
  const blocker = net.createServer();
  blockers.push(blocker);
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const taken = (blocker.address() as net.AddressInfo).port;
  const root = makeServiceRoot({ serviceJson: helloServiceJson(), entry: HELLO_ENTRY });
  const svc = services.start(root, { env: { SERVICE_LINKED: '1', INSPECT_PORT: String(taken) } });
  const { port } = await svc.up();
  const warning = await svc.waitForLine((l) => l.type === 'debugger-unavailable');
  expect(warning.level).toBe('warn');
  expect(warning.port).toBe(taken);
  expect(String(warning.fix)).toMatch(/INSPECT_PORT/);
  expect(svc.lines.some((l) => l.type === 'debugger')).toBe(false);
  expect((await request(port, '/hello')).status).toBe(200);
});
