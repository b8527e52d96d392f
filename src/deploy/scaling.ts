import type { ServiceJson } from '../config/service-json.js';
import { configError } from '../core/errors.js';
import { selectorLabels } from './labels.js';
import type { ManifestOptions } from './options.js';

/** Two replicas by default: single-process mode has no self-restart, another replica serves meanwhile. */
export const DEFAULT_MIN_REPLICAS = 2;
export const DEFAULT_MAX_REPLICAS = 10;
export const TARGET_CPU_UTILIZATION = 70;

export function replicaBounds(serviceJson: ServiceJson) {
  const min = serviceJson.minReplicas ?? Math.min(DEFAULT_MIN_REPLICAS, serviceJson.maxReplicas ?? DEFAULT_MIN_REPLICAS);
  const max = serviceJson.maxReplicas ?? Math.max(min, DEFAULT_MAX_REPLICAS);
  if (max < min) {
    throw configError('maxReplicas', `service.json: "maxReplicas" is ${max}, below "minReplicas" ${min}; raise maxReplicas or lower minReplicas`);
  }
  const warnings =
    min < DEFAULT_MIN_REPLICAS
      ? [`service.json: "minReplicas" is ${min}; while that pod restarts or drains, nothing serves: use at least ${DEFAULT_MIN_REPLICAS}`]
      : [];
  return { min, max, warnings };
}

/** Scales on CPU, which the Deployment requests one core per worker of. */
export function horizontalPodAutoscaler(options: ManifestOptions, bounds: { min: number; max: number }) {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: options.name, labels: selectorLabels(options.name) },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: options.name },
      minReplicas: bounds.min,
      maxReplicas: bounds.max,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: TARGET_CPU_UTILIZATION } } }],
    },
  };
}

/** Voluntary evictions (node drains, upgrades) take one pod at a time, each through its full drain. */
export function podDisruptionBudget(options: ManifestOptions) {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: options.name, labels: selectorLabels(options.name) },
    spec: { maxUnavailable: 1, selector: { matchLabels: selectorLabels(options.name) } },
  };
}
