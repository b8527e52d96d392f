/** What every platform-app test checks the same way, whatever layout and mode booted it. */
import http from 'node:http';
import { expect } from 'vitest';
import { request, sleep, type Reply } from '../helpers/http.js';
import type { LogLine, RunningService } from '../helpers/service.js';

export const ofType = (type: string) => (line: LogLine) => line.type === type;

/** How often the output holds `text` (plain-text lines of the SDK included). */
export const occurrences = (svc: RunningService, text: string) => svc.output().split(text).length - 1;

/** Requests until every pid in `pids` has answered one (at most 40): in a cluster the primary picks the worker. */
export async function reachEvery(pids: number[], send: () => Promise<Reply>) {
  const seen = new Set<number>();
  for (let i = 0; i < 40 && seen.size < pids.length; i++) {
    const reply = await send();
    expect(reply.status, reply.body).toBe(200);
    seen.add((JSON.parse(reply.body) as { pid: number }).pid);
  }
  expect([...seen].sort()).toEqual([...pids].sort());
}

/**
 * SIGTERM while the app's slow route is answering on a keep-alive socket: readiness answers 503 from
 * then on (never 200 again), the response completes with `Connection: close`, the process exits 15
 * after it. The service must run with SHUTDOWN_DELAY_MS, so the listener still takes the probes.
 */
export async function drainsRequestInFlight(svc: RunningService, port: number, headers: Record<string, string> = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const slow = request(port, '/acme/dev/_v/private/slow/1000', { agent, headers });
  await sleep(300);
  svc.kill('SIGTERM');
  await svc.waitForLine((l) => l.type === 'draining' && l.pid === svc.child.pid);
  await sleep(50);
  const readiness: Array<number | string> = [];
  for (let i = 0; i < 5; i++) {
    readiness.push(await request(port, '/healthcheck').then((r) => r.status, (err: Error) => err.message));
    await sleep(30);
  }
  expect(readiness[0]).toBe(503);
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
