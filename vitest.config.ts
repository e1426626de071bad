import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests start servers and child processes; two cores, so keep the fan-out small.
    maxWorkers: 2,
    // No test reaches the internet: exchanges without an account base URL are never asked for public
    // data (markets and prices for dry runs and the manual form's suggestions); the fakes are.
    env: { APISIFY_PUBLIC_EXCHANGE_DATA: 'off' },
  },
});
