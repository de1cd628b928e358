import { defineConfig } from "vitest/config";

// Three projects: fast pure unit tests; integration tests with real tools
// (GnuPG, HTTP on loopback, kpatch-build); end-to-end tests (kernel in qemu).
export default defineConfig({
  test: {
    projects: [
      {
        test: { name: "unit", include: ["test/unit/**/*.test.ts"], testTimeout: 20_000 },
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
          testTimeout: 1_800_000,
          hookTimeout: 1_800_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
