/**
 * Component tests of the Svelte renderer (happy-dom). Kept apart from the Node tests so the
 * `browser` export condition never leaks into the engine tests.
 */
import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';

export default defineConfig({
  plugins: [svelte({ configFile: false }), svelteTesting()],
  resolve: { conditions: ['browser'] },
  test: {
    name: 'renderer',
    include: ['test/renderer/**/*.test.ts'],
    environment: 'happy-dom',
  },
});
