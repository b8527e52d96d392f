import type { ServiceJson } from '../config/service-json.js';
import { drainDeadlineMs } from '../core/signals.js';

/** Time for the process to exit after the drain deadline force-closed the last sockets. */
export const GRACE_MARGIN_SECONDS = 5;
/** Server keep-alive timeout above the load balancer's idle timeout, so the balancer always closes first. */
export const KEEP_ALIVE_HEADROOM_SECONDS = 5;
export const LIVENESS_PERIOD_SECONDS = 10;

export const drainDeadlineSeconds = (serviceJson: ServiceJson) => Math.ceil(drainDeadlineMs('SIGTERM', serviceJson) / 1000);

/**
 * The kubelet's countdown starts before the preStop hook, so the grace period covers the hook's
 * sleep, then the whole drain the SIGTERM starts, then the exit; only then would it SIGKILL.
 */
export function terminationGracePeriodSeconds(preStopSeconds: number, serviceJson: ServiceJson) {
  return preStopSeconds + drainDeadlineSeconds(serviceJson) + GRACE_MARGIN_SECONDS;
}

/**
 * /healthcheck answers 503 once draining and the listener closes, so a liveness probe fails during a
 * drain. Recent kubelets stop liveness probes once a pod is terminating; for any that do not, this many
 * failures take longer than preStop + drain, so liveness never kills a pod that is draining.
 */
export function livenessFailureThreshold(preStopSeconds: number, serviceJson: ServiceJson) {
  return Math.floor((preStopSeconds + drainDeadlineSeconds(serviceJson)) / LIVENESS_PERIOD_SECONDS) + 1;
}

export const keepAliveTimeoutMs = (lbIdleTimeoutSeconds: number) => (lbIdleTimeoutSeconds + KEEP_ALIVE_HEADROOM_SECONDS) * 1000;
