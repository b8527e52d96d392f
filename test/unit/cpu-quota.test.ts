/**
 * The CPU quota warning (spec D2): the worker count still follows the CPU count, but when this
 * process's cgroup v2 quota cannot run that many workers at once, one `config` warning says so.
 * Fake cgroup files only: the host's own cgroup never decides a result here.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { readRuntimeEnv } from '../../src/config/env.js';
import { cgroupCpuMaxFiles, cpuQuotaWarning, parseCpuMax, resolveWorkerCount, tightestCpuQuota } from '../../src/config/workers.js';
import { LifecycleError } from '../../src/core/errors.js';
import { EXIT } from '../../src/core/exit-codes.js';

const files = (contents: Record<string, string>) => (file: string) => {
  if (!(file in contents)) throw Object.assign(new Error(`ENOENT: ${file}`), { code: 'ENOENT' });
  return contents[file]!;
};

describe('parseCpuMax', () => {
  test('"<quota> <period>" in µs, "max <period>" for no limit, anything else undefined', () => {
    expect(parseCpuMax('150000 100000\n')).toEqual({ quotaUs: 150_000, periodUs: 100_000 });
    expect(parseCpuMax('max 100000')).toBe('max');
    for (const text of ['', 'max', '150000', '0 100000', '150000 0', '1.5 1', 'abc 100000', '150000 100000 7']) expect(parseCpuMax(text), text).toBeUndefined();
  });
});

describe('cgroupCpuMaxFiles: this process\'s cgroup v2 directory and every parent up to the mount', () => {
  test('a nested cgroup', () => {
    expect(cgroupCpuMaxFiles('0::/kubepods/pod1/ctr\n', '/fake')).toEqual(['/fake/kubepods/pod1/ctr/cpu.max', '/fake/kubepods/pod1/cpu.max', '/fake/kubepods/cpu.max', '/fake/cpu.max']);
  });
  test('a container with its own cgroup namespace sees itself at the root', () => {
    expect(cgroupCpuMaxFiles('0::/\n', '/fake')).toEqual(['/fake/cpu.max']);
  });
  test('cgroup v1 only (no 0:: line): nothing to read', () => {
    expect(cgroupCpuMaxFiles('12:cpu,cpuacct:/docker/abc\n1:name=systemd:/docker/abc\n')).toEqual([]);
  });
});

describe('tightestCpuQuota', () => {
  test('the lowest quota among the files; unlimited, unreadable and malformed ones are skipped', () => {
    const read = files({ '/a/cpu.max': 'max 100000', '/b/cpu.max': '300000 100000', '/c/cpu.max': '50000 20000', '/d/cpu.max': 'garbage' });
    expect(tightestCpuQuota(['/a/cpu.max', '/b/cpu.max', '/c/cpu.max', '/d/cpu.max', '/missing/cpu.max'], read)).toEqual({ cpus: 2.5, cpuMax: '50000 20000', file: '/c/cpu.max' });
  });
  test('no quota anywhere: undefined', () => {
    expect(tightestCpuQuota(['/a/cpu.max', '/missing'], files({ '/a/cpu.max': 'max 100000' }))).toBeUndefined();
  });
});

describe('cpuQuotaWarning', () => {
  const quota = (cpus: number) => ({ cpus, cpuMax: `${cpus * 100_000} 100000`, file: '/sys/fs/cgroup/cpu.max' });

  test('the CPU count decided, and the quota fits fewer workers: one line naming both numbers and the fix', () => {
    const resolution = resolveWorkerCount(undefined, { linked: false, cpus: 4 });
    expect(cpuQuotaWarning(resolution, 4, quota(1.5))).toBe(
      '"workers" falls back to the CPU count (4 CPUs: 4 workers), but this process\'s CPU quota is 1.5 CPUs (/sys/fs/cgroup/cpu.max: "150000 100000"); set "workers" in service.json (or WORKERS) to 1',
    );
    // An invalid "workers" falls back to the CPU count too.
    expect(cpuQuotaWarning(resolveWorkerCount('x', { linked: false, cpus: 4 }), 4, quota(2))).toMatch(/quota is 2 CPUs .*; set "workers" in service\.json \(or WORKERS\) to 2$/);
  });

  test('the capped CPU count is what is compared: 8 CPUs give 4 workers, which a 6-CPU quota runs', () => {
    const resolution = resolveWorkerCount(undefined, { linked: false, cpus: 8 });
    expect(cpuQuotaWarning(resolution, 8, quota(6))).toBeUndefined();
    expect(cpuQuotaWarning(resolution, 8, quota(3.9))).toMatch(/\(8 CPUs: 4 workers\).*quota is 3\.9 CPUs.* to 3$/);
  });

  test('no warning when the quota fits the workers, when there is no quota, or when the count did not come from the CPU count', () => {
    expect(cpuQuotaWarning(resolveWorkerCount(undefined, { linked: false, cpus: 2 }), 2, quota(2))).toBeUndefined();
    expect(cpuQuotaWarning(resolveWorkerCount(undefined, { linked: false, cpus: 2 }), 2, undefined)).toBeUndefined();
    // One worker on less than one CPU: there is nothing to set lower.
    expect(cpuQuotaWarning(resolveWorkerCount(undefined, { linked: false, cpus: 1 }), 1, quota(0.5))).toBeUndefined();
    expect(cpuQuotaWarning(resolveWorkerCount(4, { linked: false, cpus: 4 }), 4, quota(1))).toBeUndefined();
    expect(cpuQuotaWarning(resolveWorkerCount(undefined, { linked: false, cpus: 4, override: 4 }), 4, quota(1))).toBeUndefined();
    expect(cpuQuotaWarning(resolveWorkerCount(undefined, { linked: true, cpus: 4 }), 4, quota(1))).toBeUndefined();
  });
});

describe('LIFECYCLE_CGROUP_CPU_MAX (test-only override of the file read)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cpu-max-'));
  const file = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name));

  test('a readable file in cpu.max format is taken', () => {
    const path = file('ok', '50000 100000\n');
    expect(readRuntimeEnv({ LIFECYCLE_CGROUP_CPU_MAX: path }).cpuMaxFile).toBe(path);
    expect(readRuntimeEnv({ LIFECYCLE_CGROUP_CPU_MAX: '' }).cpuMaxFile).toBeUndefined();
  });

  test.each([
    ['a missing file', join(dir, 'nope'), /^LIFECYCLE_CGROUP_CPU_MAX is ".*nope", which cannot be read \(ENOENT\); expected the path of a file in cgroup v2 cpu\.max format/],
    ['another format', file('bad', 'two CPUs'), /^LIFECYCLE_CGROUP_CPU_MAX is ".*bad", which holds "two CPUs"; expected the path of a file in cgroup v2 cpu\.max format, such as "150000 100000"/],
  ])('%s is a usage error (exit 64) naming the variable, what it holds and the format', (_, path, message) => {
    let problem: unknown;
    try {
      readRuntimeEnv({ LIFECYCLE_CGROUP_CPU_MAX: path });
    } catch (err) {
      problem = err;
    }
    expect(problem).toBeInstanceOf(LifecycleError);
    expect((problem as LifecycleError).exitCode).toBe(EXIT.USAGE);
    expect((problem as LifecycleError).field).toBe('LIFECYCLE_CGROUP_CPU_MAX');
    expect((problem as LifecycleError).message).toMatch(message);
  });
});
