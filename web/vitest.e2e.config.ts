// End-to-end tests (e2e/*.e2e.ts): Debian's chromium via playwright-core against a real
// `kinora serve`. One file at a time, no jsdom, long timeouts: these run a real server.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 90_000,
    reporters: ['verbose'],
  },
});
