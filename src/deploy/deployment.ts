import type { ServiceJson } from '../config/service-json.js';
import { BUILTIN_PATHS } from '../service/builtin-paths.js';
import { containerCommand } from './image-layout.js';
import { selectorLabels } from './labels.js';
import type { ManifestOptions } from './options.js';
import type { PodResources } from './resources.js';
import { keepAliveTimeoutMs, livenessFailureThreshold, LIVENESS_PERIOD_SECONDS, terminationGracePeriodSeconds } from './timing.js';

/** No `replicas`: the HorizontalPodAutoscaler owns it, and `kubectl apply` must not reset it. */
export function deployment(serviceJson: ServiceJson, options: ManifestOptions, pod: PodResources) {
  const labels = selectorLabels(options.name);
  const healthcheck = { path: BUILTIN_PATHS.healthcheck, port: 'http' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: options.name, labels },
    spec: {
      selector: { matchLabels: labels },
      // A rollout adds a pod before it removes one: capacity never drops below the current count.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels },
        spec: {
          terminationGracePeriodSeconds: terminationGracePeriodSeconds(options.preStopSeconds, serviceJson),
          securityContext: { runAsNonRoot: true },
          containers: [
            {
              name: options.name,
              image: options.image,
              command: containerCommand(),
              ports: [{ name: 'http', containerPort: options.port }],
              env: [
                { name: 'PORT', value: String(options.port) },
                { name: 'KEEP_ALIVE_TIMEOUT_MS', value: String(keepAliveTimeoutMs(options.lbIdleTimeoutSeconds)) },
              ],
              resources: pod.resources,
              // 503 from the moment SIGTERM starts the drain: the pod leaves every pool that probes it.
              readinessProbe: { httpGet: healthcheck, periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 2 },
              livenessProbe: {
                httpGet: healthcheck,
                periodSeconds: LIVENESS_PERIOD_SECONDS,
                timeoutSeconds: 5,
                failureThreshold: livenessFailureThreshold(options.preStopSeconds, serviceJson),
              },
              // Runs before SIGTERM, while the endpoints controller and kube-proxies drop the pod.
              lifecycle: { preStop: { sleep: { seconds: options.preStopSeconds } } },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
            },
          ],
        },
      },
    },
  };
}
