import { defineConfig } from 'vite';

// The renderer is served by the engine itself (same origin), so it builds into dist/renderer.
export default defineConfig({
  root: 'renderer',
  base: '/',
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
    // React in a chunk of its own: it changes only with the dependency, and the app's own chunk stays
    // under Vite's 500 kB warning (the charts are loaded by the pages that show them).
    rolldownOptions: { output: { codeSplitting: { groups: [{ name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ }] } } },
  },
  esbuild: { jsx: 'automatic' },
});
