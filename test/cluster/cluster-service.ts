/** Starting a real cluster-mode service for the tests in this folder. */
import { fixtureRoot } from '../helpers/fixture.js';
import { workersOnline, type RunningService, type trackServices } from '../helpers/service.js';

/** Starts `workers` workers of the fixture service and waits until all of them listen. */
export async function startCluster(
  services: ReturnType<typeof trackServices>,
  opts: { workers?: number; env?: Record<string, string>; nodeArgs?: string[] } = {},
) {
  const workers = opts.workers ?? 2;
  const svc = services.start(fixtureRoot(workers), { env: opts.env, nodeArgs: opts.nodeArgs });
  const { port, line } = await svc.up();
  const online = await workersOnline(svc, workers);
  return { svc, port, up: line, workerPids: online.map((l) => l.workerPid as number) };
}

/** Log lines of one type written by process `pid`. */
export const linesOf = (svc: RunningService, type: string, pid?: number) =>
  svc.lines.filter((l) => l.type === type && (pid === undefined || l.pid === pid));
