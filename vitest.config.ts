import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const packages = [
  'shared',
  'collector',
  'correlator',
  'billing-bridge',
  'api',
  'simulator',
  'system',
];

// Tests run the TypeScript sources directly: each workspace package resolves to its src/index.ts,
// and the dashboard's subpath imports of shared (`@faultline/shared/billing-evidence`) to the
// module itself, as in dashboard/vite.config.ts.
const alias = [
  {
    find: /^@faultline\/shared\/([a-z-]+)$/,
    replacement: `${fileURLToPath(new URL('./shared/src/', import.meta.url))}$1.ts`,
  },
  ...packages.map((name) => ({
    find: `@faultline/${name}`,
    replacement: fileURLToPath(new URL(`./${name}/src/index.ts`, import.meta.url)),
  })),
];

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['*/src/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**', 'test/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/src/**/*.int.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
