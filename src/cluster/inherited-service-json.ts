import type { ServiceJson } from '../config/service-json.js';

/** How the primary hands the service.json it validated to the workers it forks. */
export const SERVICE_JSON_ENV = 'LIFECYCLE_CLUSTER_SERVICE_JSON';

export const serviceJsonEnv = (serviceJson: ServiceJson) => ({ [SERVICE_JSON_ENV]: JSON.stringify(serviceJson) });

/**
 * In a cluster worker: service.json as its primary validated it, so every worker serves the same
 * snapshot (an edit to the file after boot cannot split the cluster) and none validates it again. Removed from the
 * environment: the service and its own child processes never see it.
 */
export function takeInheritedServiceJson(env: NodeJS.ProcessEnv): ServiceJson | undefined {
  const raw = env[SERVICE_JSON_ENV];
  delete env[SERVICE_JSON_ENV];
  return raw ? (JSON.parse(raw) as ServiceJson) : undefined;
}
