import { defineConfig } from 'vitest/config';

// Two projects: `unit` is pure logic (and media/ with real ffmpeg) and needs no services;
// `integration` talks over HTTP to the real built server and worker that its global setup
// starts against the real PostgreSQL and Redis.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    projects: [
      {
        test: {
          name: 'unit',
          include: ['app/**/*.test.{ts,tsx}', 'db/**/*.test.ts', 'workers/**/*.test.ts', 'media/**/*.test.ts'],
          testTimeout: 60_000,
          // Unit tests (real ffmpeg among them, ~45 s) run first and alone, so that they do
          // not share the 2 cores with the integration files' server, workers and Chromium.
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/**/*.test.ts'],
          sequence: { groupOrder: 1 },
          globalSetup: ['tests/support/global-setup.ts'],
          testTimeout: 90_000,
          hookTimeout: 180_000,
          // One file at a time: the files share the demo accounts (the browser journey
          // switches their language) and one server.
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
