/** Starting a real cluster-mode service for the tests in this folder. */
import { afterAll, beforeAll } from 'vitest';
import { fixtureRoot } from '../helpers/fixture.js';
import { trackServices, workersOnline, type RunningService } from '../helpers/service.js';

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

/** One cluster for the tests of a describe block: started before the first, killed after the last; its fields are set once started. */
export function clusterForSuite(opts: Parameters<typeof startCluster>[1] = {}) {
  const services = trackServices();
  const cluster = {} as { svc: RunningService; port: number; primary: number; workers: number[] };
  beforeAll(async () => {
    const { svc, port, workerPids } = await startCluster(services, opts);
    Object.assign(cluster, { svc, port, primary: svc.child.pid!, workers: workerPids });
  });
  afterAll(() => services.cleanup());
  return cluster;
}
