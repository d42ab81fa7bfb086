import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Real ONNX sessions and SQLite files: keep parallelism to the machine's cores.
    pool: 'forks',
    maxWorkers: 2,
  },
});
