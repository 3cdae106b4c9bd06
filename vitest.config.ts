import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // A check that throws fails the test instead of becoming an internal-error finding; probe outputs are validated.
    env: { GMSA_DOCTOR_STRICT: '1' },
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // Lab faults (blocked ports, delays) are global to the DC: run integration files one at a time.
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      // Slower release tests, each its own command (npm run test:package, test:exe, test:fresh-machine).
      {
        test: {
          name: 'package',
          include: ['test/release/package.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
      { test: { name: 'exe', include: ['test/release/exe.test.ts'], testTimeout: 120_000, hookTimeout: 300_000 } },
      {
        test: {
          name: 'fresh-machine',
          include: ['test/release/fresh-machine.test.ts'],
          testTimeout: 900_000,
          hookTimeout: 900_000,
        },
      },
    ],
  },
});
