import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Test files spawn real services and load both cores (20 SIGTERM trials under load, clusters):
    // one file at a time keeps a run predictable (about 4 minutes in all). No test asserts a timing
    // bound a busy machine decides; those are benchmark figures (BENCHMARKS.md).
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default', './test/helpers/summary-reporter.ts'],
  },
});
