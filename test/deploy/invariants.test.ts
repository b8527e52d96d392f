import { describe, expect, it } from 'vitest';
import { parseServiceJson } from '../../src/config/service-json.js';
import { buildManifest } from '../../src/deploy/manifest.js';
import { readManifestOptions } from '../../src/deploy/options.js';

/** The Deployment's pod spec for a service.json and a preStop, as the command would build it. */
function podSpec(serviceJson: Record<string, unknown>, preStop: number) {
  const options = readManifestOptions('/srv/svc', { 'prestop-seconds': String(preStop), cpus: '2' });
  const { objects } = buildManifest(parseServiceJson(JSON.stringify(serviceJson)), options);
  return (objects[0] as { spec: { template: { spec: any } } }).spec.template.spec;
}

describe('termination timing across service.json timeouts and preStop sleeps', () => {
  const cases = [0, 10, 29.5, 30, 31, 120, 3600].flatMap((timeout) => [1, 5, 600].map((preStop) => ({ timeout, preStop })));

  it.each(cases)('timeout $timeout s, preStop $preStop s: grace period and liveness both outlast preStop + drain', ({ timeout, preStop }) => {
    const spec = podSpec({ workers: 1, memory: 128, timeout }, preStop);
    const drainDeadline = Math.max(30, timeout);
    expect(spec.terminationGracePeriodSeconds).toBeGreaterThan(preStop + drainDeadline);
    expect(Number.isInteger(spec.terminationGracePeriodSeconds)).toBe(true);
    const liveness = spec.containers[0].livenessProbe;
    expect(liveness.failureThreshold * liveness.periodSeconds).toBeGreaterThan(preStop + drainDeadline);
  });

  it('names the objects after the folder when --name is absent', () => {
    expect(readManifestOptions('/srv/My_Service.v2', {}).name).toBe('my-service-v2');
    expect(() => readManifestOptions('/srv/42', {})).toThrow(/--name/);
  });
});
