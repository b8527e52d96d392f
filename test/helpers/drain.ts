/** The drain as a client sees it, for any service with a slow route. */
import http from 'node:http';
import { expect } from 'vitest';
import { request, sleep } from './http.js';
import type { RunningService } from './service.js';

/**
 * SIGTERM while a slow route (answering `{ waitedMs: 1000 }`) is busy on a keep-alive socket: readiness answers 503 from
 * then on (never 200 again), the response completes with `Connection: close`, the process exits 15
 * after it. The service must run with SHUTDOWN_DELAY_MS, so the listener still takes the probes.
 */
export async function drainsRequestInFlight(svc: RunningService, port: number, slowPath: string, headers: Record<string, string> = {}) {
  // On a keep-alive socket, so that Connection: close is the drain's doing.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const slow = request(port, slowPath, { agent, headers });
  await sleep(300);
  svc.kill('SIGTERM');
  // Each serving process flips readiness before it logs `draining`: once every one has, no probe gets 200.
  const processes = svc.lines.filter((l) => l.type === 'worker-online').length > 0 ? 1 + new Set(svc.lines.filter((l) => l.type === 'worker-online').map((l) => l.slot)).size : 1;
  await svc.waitForLine(() => svc.lines.filter((l) => l.type === 'draining').length >= processes);
  const first = await request(port, '/healthcheck');
  expect(first.status).toBe(503);
  expect(JSON.parse(first.body)).toEqual({ status: 'draining' });
  const readiness: Array<number | string> = [];
  for (let i = 0; i < 4; i++) {
    await sleep(30);
    readiness.push(await request(port, '/healthcheck').then((r) => r.status, (err: Error) => err.message));
  }
  expect(readiness, 'no 200 after the first 503').not.toContain(200);
  const reply = await slow;
  agent.destroy();
  expect(reply.status).toBe(200);
  expect(JSON.parse(reply.body)).toMatchObject({ waitedMs: 1000 });
  expect(reply.headers.connection).toBe('close');
  const exit = await svc.exited;
  expect(exit.code).toBe(15);
  expect(exit.at).toBeGreaterThanOrEqual(reply.at);
}
