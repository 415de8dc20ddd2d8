import { defineConfig } from 'vitest/config';

// Two cores on the reference machine and CI: keep the pool small so CPU-heavy
// emulator tests do not starve each other.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A private TMPDIR per run, which must be empty at the end (tests clean up after themselves),
    // and a clone the run leaves as it found it.
    globalSetup: ['test/global-temp.ts', 'test/global-clean-clone.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The JSON report lets .ci/run print a one-line "N passed, N failed" summary.
    reporters: ['default', 'json'],
    outputFile: { json: 'dist/vitest-report.json' },
  },
});
