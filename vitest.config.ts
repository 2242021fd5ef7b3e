import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/quiet-logs.ts'],
    // In-process code logs at the level test/support/quiet-logs.ts sets; LOG_LEVEL here reaches the child
    // processes (CLI, workers) the tests spawn with this environment.
    env: { TZ: 'Asia/Shanghai', LOG_LEVEL: 'silent' },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration test files each get their own database and queue prefix, so they may run in parallel.
    fileParallelism: true,
    maxWorkers: 2,
    // `npm test` prints a coverage summary (V8's own counters) of the code that runs in the test
    // processes; commands run as child processes by CLI tests are not counted.
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      reporter: ['text-summary'],
    },
  },
});
