import { defineConfig } from "vitest/config";

// Three projects: fast pure unit tests; integration tests with real tools
// (GnuPG, HTTP on loopback, kpatch-build); end-to-end tests (kernel in qemu).
export default defineConfig({
  test: {
    // Vitest's default is one worker on a 2-core machine (cores - 1), and
    // most files wait on gpg, HTTP, qemu or a lock rather than the CPU: two
    // files run side by side, end-to-end ones beside integration ones (a
    // project that ran its files one at a time would be put after all the
    // others). Kernel trees are locked by the builder itself; what the e2e
    // files run from dist/ is built once, before any file starts.
    maxWorkers: 2,
    reporters: ["default", "./test/helpers/timing-reporter.ts"],
    projects: [
      {
        // Over 2x the slowest unit test measured: 12.6 s (the app's
        // publish-state test) at load 20, niced; npm test runs the unit
        // suite a second time, under Node 24, beside the main run.
        test: { name: "unit", include: ["test/unit/**/*.test.ts"], testTimeout: 30_000 },
      },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          setupFiles: ["test/helpers/forge-coverage-setup.ts"],
          testTimeout: 600_000,
          hookTimeout: 1_800_000,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          setupFiles: ["test/helpers/forge-coverage-setup.ts"],
          globalSetup: ["test/e2e/helpers/build-dist.ts"],
          testTimeout: 1_800_000,
          hookTimeout: 1_800_000,
        },
      },
    ],
  },
});
