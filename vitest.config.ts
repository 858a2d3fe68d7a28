import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    setupFiles: ['tests/helpers/setup.ts'],
    // Builds the SQLite deadline extension when it is missing or older than its source.
    globalSetup: ['tests/helpers/global-setup.ts'],
    exclude: ['tests/deno/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest.json' },
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: [
        // Loaded only under Deno; `deno task test` exercises them.
        'src/runtime/deno.ts',
        'src/runtime/deno-threads.ts',
        'src/runtime/deno-socket.ts',
        'src/driver/sqlite/node-sqlite-engine.ts',
      ],
      reporter: ['text-summary', 'text', 'json-summary'],
      reportsDirectory: 'coverage',
      thresholds: {
        'src/ipc/**': { lines: 90 },
        'src/queue/**': { lines: 90 },
        'src/driver/**': { lines: 90 },
        'src/supervisor/**': { lines: 90 },
        'src/config/**': { lines: 90 },
        'src/server/**': { lines: 90 },
        'src/analysis/**': { lines: 90 },
        'src/db/**': { lines: 90 },
        'src/workers/**': { lines: 90 },
        'src/tools/**': { lines: 90 },
        'src/mcp/**': { lines: 90 },
        'src/embeddings/**': { lines: 90 },
      },
    },
  },
});
