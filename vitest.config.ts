import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const pkg = (name: string) => fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against sources; builds (dist/) are for the CLI and publishing.
    alias: [{ find: /^@qingyuan\/(hj212|domain|store|gateway|simulator|server)$/, replacement: pkg('$1') }],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'bench/**/*.test.ts'],
    testTimeout: 30_000,
    pool: 'forks',
  },
});
