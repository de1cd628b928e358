#!/usr/bin/env node
// Regenerates the conformance coverage table of docs/forge.md from a test run.
//
//   node scripts/forge-coverage.mjs [--check] [vitest paths...]
//
// Runs the given forge tests (default: packages/forge/test/integration) with
// LPCTL_FORGE_COVERAGE_DIR set to a fresh temp dir; every test file that
// calls useForgeConformance() (packages/test-support/src/forge-conformance.ts) dumps what
// it validated there. The records are merged and rendered into the table.
// With --check the document is not written: the script fails when the
// committed table differs from the run's, or lists an entry no record backs.
import { build } from "esbuild";
import { Buffer } from "node:buffer";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import console from "node:console";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { format, resolveConfig } from "prettier";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const docFile = path.join(root, "docs/forge.md");
const args = process.argv.slice(2);
const check = args.includes("--check");
// --records DIR: read records a test run already dumped there (scripts/test.sh
// sets LPCTL_FORGE_COVERAGE_DIR for the whole suite) instead of running the
// forge tests; with it, --check only fails on entries no record backs (the
// whole suite validates more than the table's run).
const recordsAt = args.indexOf("--records");
const recordsDir = recordsAt === -1 ? undefined : args[recordsAt + 1];
const paths = args.filter((a, i) => a !== "--check" && i !== recordsAt && i !== recordsAt + 1);

// Node 20 cannot run TypeScript, so the table logic (packages/forge/src/conformance)
// is bundled in memory and imported from a data: URL.
async function loadCoverageModule() {
  const entry = [
    `export * from ${JSON.stringify(path.join(root, "packages/forge/src/conformance/coverage-table.ts"))};`,
    `export * from ${JSON.stringify(path.join(root, "packages/forge/src/conformance/coverage-files.ts"))};`,
  ].join("\n");
  const out = await build({
    stdin: { contents: entry, resolveDir: root, loader: "ts" },
    bundle: true,
    write: false,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "warning",
  });
  const code = out.outputFiles[0].text;
  return import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`);
}

const coverage = await loadCoverageModule();
if (recordsDir !== undefined) {
  const records = coverage.readCoverageRecords(recordsDir);
  const unbacked = coverage.unbackedCoverage(readFileSync(docFile, "utf8"), records);
  for (const entry of unbacked)
    console.error(`forge-coverage: docs/forge.md lists ${entry}, which no test validated.`);
  console.log(`forge-coverage: ${records.length} records; ${unbacked.length} unbacked entries.`);
  process.exit(unbacked.length > 0 ? 1 : 0);
}
const dir = mkdtempSync(path.join(tmpdir(), "forge-coverage-"));
try {
  const run = spawnSync(
    "npx",
    ["vitest", "run", ...(paths.length > 0 ? paths : ["packages/forge/test/integration"])],
    {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, [coverage.COVERAGE_DIR_ENV]: dir },
    },
  );
  if (run.status !== 0) {
    console.error("forge-coverage: the tests failed; the table is left as it is.");
    process.exit(run.status ?? 1);
  }
  const records = coverage.readCoverageRecords(dir);
  const current = readFileSync(docFile, "utf8");
  // Formatted as `npm run lint` expects it (Prettier aligns Markdown tables).
  const updated = await format(
    coverage.replaceCoverage(current, coverage.renderCoverage(records)),
    {
      ...(await resolveConfig(docFile)),
      filepath: docFile,
    },
  );
  const rest = records.filter((r) => r.kind === "rest").length;
  console.log(
    `forge-coverage: ${records.length} records (${rest} REST, ${records.length - rest} webhook).`,
  );
  if (check) {
    const unbacked = coverage.unbackedCoverage(current, records);
    for (const entry of unbacked)
      console.error(`forge-coverage: docs/forge.md lists ${entry}, which no test validated.`);
    if (updated !== current)
      console.error(
        "forge-coverage: docs/forge.md is out of date; run node scripts/forge-coverage.mjs.",
      );
    process.exit(unbacked.length > 0 || updated !== current ? 1 : 0);
  }
  writeFileSync(docFile, updated);
  console.log("forge-coverage: docs/forge.md updated.");
} finally {
  rmSync(dir, { recursive: true, force: true });
}
