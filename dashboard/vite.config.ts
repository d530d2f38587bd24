import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

// The api serves the build from dashboard/dist; `npm run dev -w dashboard` proxies to an api on
// FAULTLINE_API (default the local one on 8080).
const api = process.env.FAULTLINE_API ?? 'http://127.0.0.1:8080';

/** Where `@faultline/shared` comes from; the service worker's build (vite.sw.config.ts) shares it. */
export const resolve = {
  // The dashboard imports only types and pure code from shared, from its sources. Values come
  // through a subpath (`@faultline/shared/topology-view`): the index would also bring modules
  // that compile schemas with `new Function`, which the strict CSP (no 'unsafe-eval') forbids.
  alias: [
    {
      find: /^@faultline\/shared$/,
      replacement: fileURLToPath(new URL('../shared/src/index.ts', import.meta.url)),
    },
    {
      find: /^@faultline\/shared\/([a-z-]+)$/,
      replacement: `${fileURLToPath(new URL('../shared/src/', import.meta.url))}$1.ts`,
    },
  ],
};

export default defineConfig({
  plugins: [svelte()],
  resolve,
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  server: {
    proxy: {
      '/api': api,
      '/socket.io': { target: api, ws: true },
    },
  },
});
