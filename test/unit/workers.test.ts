import { describe, expect, test } from 'vitest';
import { MAX_WORKERS, resolveWorkerCount } from '../../src/config/workers.js';

describe('resolveWorkerCount: the SDK rule, every branch', () => {
  test('MAX_WORKERS is 4', () => {
    expect(MAX_WORKERS).toBe(4);
  });

  test('linked mode → 1, whatever service.json, WORKERS or the CPU count say; a count it overrules is named in a warning', () => {
    for (const configured of [1, undefined, 'x']) {
      expect(resolveWorkerCount(configured, { linked: true, cpus: 8 })).toEqual({ workers: 1, from: 'linked mode' });
    }
    expect(resolveWorkerCount(2, { linked: true, cpus: 8 })).toEqual({
      workers: 1,
      from: 'linked mode',
      warning: 'service.json "workers": 2 is ignored in linked mode, which runs one process (debugger on it)',
    });
    expect(resolveWorkerCount(1, { linked: true, cpus: 8, override: 3 }).warning).toBe('WORKERS=3 is ignored in linked mode, which runs one process (debugger on it)');
  });

  test('WORKERS comes before service.json and the CPU count, and says so', () => {
    expect(resolveWorkerCount(4, { linked: false, cpus: 8, override: 2 })).toEqual({ workers: 2, from: 'WORKERS' });
    expect(resolveWorkerCount('x', { linked: false, cpus: 8, override: 1 })).toEqual({ workers: 1, from: 'WORKERS' });
  });

  test('a positive integer up to MAX_WORKERS is taken as is, without a warning', () => {
    for (const configured of [1, 2, 3, 4]) {
      expect(resolveWorkerCount(configured, { linked: false, cpus: 2 })).toEqual({ workers: configured, from: 'service.json' });
    }
  });

  test('a positive integer above MAX_WORKERS is capped, with a warning naming the value and the cap', () => {
    const { workers, warning } = resolveWorkerCount(16, { linked: false, cpus: 2 });
    expect(workers).toBe(MAX_WORKERS);
    expect(warning).toBe('service.json: "workers" is 16; capped at 4 (MAX_WORKERS)');
  });

  test.each([[0], [-1], [1.5], ['2'], [null], [true], [{}], [Number.NaN]])(
    'invalid %j → the CPU count, with a warning naming the value and the fallback',
    (configured) => {
      const { workers, warning } = resolveWorkerCount(configured, { linked: false, cpus: 3 });
      expect(workers).toBe(3);
      expect(warning).toContain(`"workers" is ${JSON.stringify(configured)}`);
      expect(warning).toContain('expected a positive integer, using the CPU count (3)');
      expect(warning).not.toContain('\n');
    },
  );

  test('missing → the CPU count, without a warning', () => {
    expect(resolveWorkerCount(undefined, { linked: false, cpus: 1 })).toEqual({ workers: 1, from: 'CPU count' });
    expect(resolveWorkerCount(undefined, { linked: false, cpus: 2 })).toEqual({ workers: 2, from: 'CPU count' });
  });

  test('the CPU count is capped at MAX_WORKERS too, and never below 1', () => {
    expect(resolveWorkerCount(undefined, { linked: false, cpus: 64 })).toEqual({ workers: MAX_WORKERS, from: 'CPU count' });
    expect(resolveWorkerCount('x', { linked: false, cpus: 64 }).workers).toBe(MAX_WORKERS);
    // os.cpus() can be empty in some containers.
    expect(resolveWorkerCount(undefined, { linked: false, cpus: 0 })).toEqual({ workers: 1, from: 'CPU count' });
  });
});
