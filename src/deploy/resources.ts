import type { ServiceJson } from '../config/service-json.js';
import { isWorkerCount, resolveWorkerCount } from '../config/workers.js';
import { usageError } from '../core/errors.js';
import type { ManifestOptions } from './options.js';

export interface PodResources {
  workers: number;
  resources: { requests: Record<string, string>; limits?: Record<string, string> };
  warnings: string[];
}

/**
 * One CPU per worker the pod will run, and service.json's `memory` as both request and limit.
 * No CPU limit: CFS throttling would stretch latency; the request is what scheduling and the HPA use.
 */
export function podResources(serviceJson: ServiceJson, options: ManifestOptions): PodResources {
  const warnings: string[] = [];
  // At runtime an unusable "workers" falls back to the CPU count of the pod's node, not of this machine.
  if (!isWorkerCount(serviceJson.workers) && options.cpus === undefined) {
    throw usageError(
      '--cpus',
      `manifest: service.json has no usable "workers", so each pod forks one worker per CPU of its node (at most 4); set "workers" in service.json or pass --cpus <CPUs of the node>`,
    );
  }
  const { workers, warning } = resolveWorkerCount(serviceJson.workers, { linked: false, cpus: options.cpus ?? 1 });
  if (warning) warnings.push(warning);
  const requests: Record<string, string> = { cpu: String(workers) };
  if (serviceJson.memory === undefined) {
    warnings.push('service.json has no "memory"; the pod gets no memory request or limit: set "memory" (MiB)');
    return { workers, resources: { requests }, warnings };
  }
  const memory = `${serviceJson.memory}Mi`;
  return { workers, resources: { requests: { ...requests, memory }, limits: { memory } }, warnings };
}
