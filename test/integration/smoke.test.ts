import { afterEach, expect, test } from 'vitest';
import { request } from '../helpers/http.js';
import { HELLO_ENTRY, helloServiceJson, makeServiceRoot, trackServices } from '../helpers/service.js';

const services = trackServices();
afterEach(() => services.cleanup());

test('workers: 1 serves a route from the main process and exits 15 on SIGTERM', async () => {
  const root = makeServiceRoot({ serviceJson: helloServiceJson(), entry: HELLO_ENTRY });
  const svc = services.start(root);
  const { port, line } = await svc.up();
  expect(line.mode).toBe('single');
  const reply = await request(port, '/hello');
  expect(reply.status).toBe(200);
  expect(JSON.parse(reply.body).pid).toBe(svc.child.pid);
  svc.kill('SIGTERM');
  expect((await svc.exited).code).toBe(15);
});
