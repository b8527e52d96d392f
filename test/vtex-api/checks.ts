/** What every platform-app test checks the same way, whatever layout and mode booted it. */
import { expect } from 'vitest';
import { drainsRequestInFlight } from '../helpers/drain.js';
import { type Reply } from '../helpers/http.js';
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

/** The example app's slow route, on a private path. */
export const drainsSlowRoute = (svc: RunningService, port: number, headers: Record<string, string> = {}) =>
  drainsRequestInFlight(svc, port, '/acme/dev/_v/private/slow/1000', headers);
