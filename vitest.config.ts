import { defineConfig } from 'vitest/config';

// Unit and property tests run in Node, without the extension build plugins.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'extension/**/*.test.ts', 'scripts/**/*.test.ts', 'bench/**/*.test.ts'],
    environment: 'node',
  },
});
