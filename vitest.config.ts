import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    pool: 'forks', // native addon (better-sqlite3) and CPU-heavy pdfjs: process isolation
    maxWorkers: 2,
    testTimeout: 60_000,
  },
});
