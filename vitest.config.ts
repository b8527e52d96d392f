import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Test files spawn real services and several assert the issues' timing bounds (readiness flip
    // within 10 ms, a respawned worker within 1 s): one file at a time, so that a file's services
    // get the other core instead of competing with another file's load (about 4 minutes in all).
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default', './test/helpers/summary-reporter.ts'],
  },
});
