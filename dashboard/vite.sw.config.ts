import { defineConfig } from 'vite';
import { resolve } from './vite.config.js';

// The service worker, built after the app into the same dist/ as one classic script at the root
// (/sw.js, so its scope is the whole app): no chunks shared with the app, no module worker.
export default defineConfig({
  resolve,
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2022',
    rolldownOptions: {
      input: 'src/sw/service-worker.ts',
      output: { format: 'iife', entryFileNames: 'sw.js' },
    },
  },
});
