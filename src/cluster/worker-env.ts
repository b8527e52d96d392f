import type { ClusterTransport } from '../config/cluster-transport.js';
import type { ServiceJson } from '../config/service-json.js';
import type { Role } from '../core/types.js';

/** What the primary hands each worker it forks, through the worker's environment. */
const SERVICE_JSON = 'LIFECYCLE_CLUSTER_SERVICE_JSON';
const SLOT = 'LIFECYCLE_WORKER_SLOT';

/**
 * The environment a worker is forked with, on top of the primary's. CLUSTER_REUSEPORT is rewritten
 * to the transport the primary chose, so a worker never listens with `reusePort` after its primary
 * fell back to round-robin, and does whenever the primary chose it.
 */
export const workerEnv = (serviceJson: ServiceJson, slot: number, transport: ClusterTransport) => ({
  [SERVICE_JSON]: JSON.stringify(serviceJson),
  [SLOT]: String(slot),
  CLUSTER_REUSEPORT: transport === 'reusePort' ? '1' : '0',
});

/** `worker` in a process forked by a service-lifecycle primary: the `role` to boot the machine with. */
export const clusterRole = (env: NodeJS.ProcessEnv = process.env): Role => (env[SLOT] !== undefined ? 'worker' : 'main');

/** The slot a worker serves, before `takeWorkerEnv` removes it (the inspector connects that early). */
export function workerSlot(env: NodeJS.ProcessEnv): number | undefined {
  const slot = Number(env[SLOT]);
  return env[SLOT] !== undefined && Number.isInteger(slot) && slot >= 0 ? slot : undefined;
}

/**
 * In a cluster worker: service.json as its primary validated it, so every worker serves the same
 * snapshot (an edit to the file after boot cannot split the cluster) and none validates it again.
 * Both variables leave the environment: the service's own child processes are not workers.
 */
export function takeWorkerEnv(env: NodeJS.ProcessEnv): { serviceJson?: ServiceJson; slot?: number } {
  const raw = env[SERVICE_JSON];
  const slot = env[SLOT];
  delete env[SERVICE_JSON];
  delete env[SLOT];
  return { serviceJson: raw ? (JSON.parse(raw) as ServiceJson) : undefined, slot: slot === undefined ? undefined : Number(slot) };
}
