import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Real ONNX sessions and SQLite files: keep parallelism to the machine's cores.
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      // Node: core, store, engines, transports. The renderer's 'browser' resolve condition stays out of it.
      { extends: true, test: { name: 'node', include: ['test/**/*.test.ts'], exclude: ['test/renderer/**'] } },
      './vitest.renderer.config.ts',
    ],
  },
});
