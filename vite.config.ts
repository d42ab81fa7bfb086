/**
 * Renderer build (Svelte 5): `vite build` writes the kiosk UI to dist-renderer/, which both the
 * Electron window and the 127.0.0.1 HTTP server load. `base: './'` keeps asset URLs relative so
 * the same build works from a file, a custom protocol or the HTTP root.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('./src-renderer'),
  base: './',
  plugins: [svelte({ configFile: false })],
  // Component tests run under vitest: resolve Svelte's browser build, not its server build.
  resolve: process.env.VITEST ? { conditions: ['browser'] } : {},
  build: {
    outDir: here('./dist-renderer'),
    emptyOutDir: true,
    target: 'chrome120',
    // The CSP forbids data: scripts and inline code, so never inline assets into the bundle.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  server: {
    // `vite` dev server: forward API calls to a running `npm run kiosk -- serve`.
    proxy: { '/api': process.env.KIOSK_API ?? 'http://127.0.0.1:8787' },
  },
});
