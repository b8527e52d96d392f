/**
 * The CPU quota warning end to end, through the test-only LIFECYCLE_CGROUP_CPU_MAX (a fake cgroup v2
 * cpu.max file; the host's cgroup never decides the outcome): the worker count still follows the CPU
 * count, with one `config` warning naming the CPU count, the quota and the fix.
 */
import { cpus } from 'node:os';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterEach, expect, test } from 'vitest';
import { makeServiceRoot, trackServices, workersOnline } from '../helpers/service.js';
import { FIXTURE_ENTRY, fixtureServiceJson } from '../helpers/fixture.js';
import { MAX_WORKERS } from '../../src/config/workers.js';

const services = trackServices();
afterEach(() => services.cleanup());

const cpuWorkers = Math.min(cpus().length, MAX_WORKERS);
/** A service.json without "workers", and a cpu.max file next to it. */
function rootWithQuota(cpuMax: string) {
  const { workers: _, ...serviceJson } = fixtureServiceJson(1);
  const root = makeServiceRoot({ serviceJson, entry: FIXTURE_ENTRY });
  writeFileSync(join(root, 'cpu.max'), cpuMax);
  return { root, cpuMaxFile: join(root, 'cpu.max') };
}
const configWarnings = (lines: Array<Record<string, unknown>>) => lines.filter((l) => l.type === 'config');

test.skipIf(cpuWorkers < 2)('a quota of half a CPU: the CPU count still decides, and one config warning names both numbers and the fix', async () => {
  const { root, cpuMaxFile } = rootWithQuota('50000 100000\n');
  const svc = services.start(root, { env: { LIFECYCLE_CGROUP_CPU_MAX: cpuMaxFile } });
  const { line: up } = await svc.up();
  expect(up).toMatchObject({ mode: 'cluster', workers: cpuWorkers, workersFrom: 'CPU count' });
  await workersOnline(svc, cpuWorkers);
  expect(configWarnings(svc.lines)).toEqual([
    expect.objectContaining({
      level: 'warn',
      field: 'workers',
      cpus: cpus().length,
      cpuQuota: 0.5,
      message: `"workers" falls back to the CPU count (${cpus().length} CPUs: ${cpuWorkers} workers), but this process's CPU quota is 0.5 CPUs (${cpuMaxFile}: "50000 100000"); set "workers" in service.json (or WORKERS) to 1`,
    }),
  ]);
  svc.kill('SIGTERM');
  expect((await svc.exited).code).toBe(15);
});

test('no quota ("max"), or "workers" set: no warning', async () => {
  const unlimited = rootWithQuota('max 100000\n');
  const a = services.start(unlimited.root, { env: { LIFECYCLE_CGROUP_CPU_MAX: unlimited.cpuMaxFile, WORKERS: undefined } });
  await a.up();
  const limited = rootWithQuota('50000 100000\n');
  const b = services.start(limited.root, { env: { LIFECYCLE_CGROUP_CPU_MAX: limited.cpuMaxFile, WORKERS: '1' } });
  await b.up();
  for (const svc of [a, b]) {
    svc.kill('SIGTERM');
    expect((await svc.exited).code).toBe(15);
    expect(configWarnings(svc.lines)).toEqual([]);
  }
});

test('a LIFECYCLE_CGROUP_CPU_MAX that cannot be read: one usage line naming it, exit 64', async () => {
  const svc = services.start(makeServiceRoot({ serviceJson: fixtureServiceJson(1), entry: FIXTURE_ENTRY }), { env: { LIFECYCLE_CGROUP_CPU_MAX: '/nonexistent/cpu.max' } });
  expect((await svc.exited).code).toBe(64);
  const failures = svc.lines.filter((l) => l.level === 'error' && l.type !== 'exit');
  expect(failures).toEqual([expect.objectContaining({ field: 'LIFECYCLE_CGROUP_CPU_MAX' })]);
  expect(failures[0]!.message).toMatch(/^LIFECYCLE_CGROUP_CPU_MAX is "\/nonexistent\/cpu\.max", which cannot be read \(ENOENT\)/);
});
