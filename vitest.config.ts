import { defineConfig } from "vitest/config";

// The workspace packages' public entries name a "livepatch-source" condition
// that points at their TypeScript sources (package.json `exports`): tests
// load the sources, so nothing needs building first. Node at run time takes
// the "default" condition, the compiled dist/.
const conditions = ["livepatch-source"];

// Every package's tests: packages/<pkg>/test/<project>/, plus the root's own
// (test/<project>/: the bench and scripts/).
const tests = (project: string) => [
  `packages/*/test/${project}/**/*.test.ts`,
  `test/${project}/**/*.test.ts`,
];

// What each test file's CPU time was, for the timing reporter.
const cpuUsage = "packages/test-support/src/cpu-usage-setup.ts";

// Three projects: fast pure unit tests; integration tests with real tools
// (GnuPG, HTTP on loopback, kpatch-build); end-to-end tests (kernel in qemu).
export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: {
    // Vitest's default is one worker on a 2-core machine (cores - 1). Two
    // files run side by side, end-to-end ones beside integration ones (a
    // project that ran its files one at a time would be put after all the
    // others). The files wait for about half of their wall time (the
    // timing report's CPU column), but a third one measured worse: builds
    // on one prepared kernel take turns (its tree lock), and the long
    // end-to-end files' builds queued behind more of them (bench/README.md,
    // "The test run"). What the e2e files run from dist/ is built once,
    // before any file starts.
    maxWorkers: 2,
    reporters: ["default", "./packages/test-support/src/timing-reporter.ts"],
    projects: [
      {
        extends: true,
        // Over 2x the slowest unit test measured: 12.6 s (the app's
        // publish-state test) at load 20, niced; npm test runs the unit
        // suite a second time, under Node 24, beside the main run.
        //
        // Not isolated: a worker runs its unit files one after another in
        // one module graph instead of a new one per file. Each file used to
        // import zod, OpenPGP, Probot and their own modules afresh: 139 CPU-s
        // for the suite, 41 CPU-s without (same 1,269 tests, also passing
        // with the files shuffled), and npm test runs the suite twice.
        // What unit tests fake they inject, and the two files that set an
        // environment variable put it back.
        test: {
          name: "unit",
          include: tests("unit"),
          setupFiles: [cpuUsage],
          isolate: false,
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        // Not isolated either, for the same reason: the app's 16 files used
        // 234 CPU-s isolated and 153 CPU-s not (/usr/bin/time, all passing).
        // A file that sets an environment variable sets it before its use or
        // puts it back, and each file's forge coverage dump holds its own
        // records (packages/test-support/src/forge-conformance.ts).
        test: {
          name: "integration",
          include: tests("integration"),
          isolate: false,
          setupFiles: [cpuUsage, "packages/test-support/src/forge-coverage-setup.ts"],
          testTimeout: 600_000,
          hookTimeout: 1_800_000,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: tests("e2e"),
          setupFiles: [cpuUsage, "packages/test-support/src/forge-coverage-setup.ts"],
          globalSetup: ["packages/test-support/src/build-dist.ts"],
          testTimeout: 1_800_000,
          hookTimeout: 1_800_000,
        },
      },
    ],
  },
});
