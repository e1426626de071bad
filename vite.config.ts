import { defineConfig } from 'vite';

// The renderer is served by the engine itself (same origin), so it builds into dist/renderer.
export default defineConfig({
  root: 'renderer',
  base: '/',
  build: { outDir: '../dist/renderer', emptyOutDir: true, sourcemap: true },
  esbuild: { jsx: 'automatic' },
});
