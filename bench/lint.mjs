/**
 * Lint benchmark: median wall time of lintPatches over a deterministic
 * 5,000-line patch series, plus two shapes that stress the scope scan: a
 * single 5,000-line new file and one 5,000-line hunk inside one function,
 * and a hostile many-hunk patch at 1, 2, 4 and 8 MiB (8 MiB is the largest
 * patch lint reads) run the way `lpctl lint` runs it (validate's patch-file
 * checks, then the rules) to show the cost grows linearly. Run
 * `npm run build && node bench/lint.mjs`; it writes bench/results/lint.json.
 */
import { writeFileSync } from "node:fs";
import { cpus, platform, release, arch, totalmem } from "node:os";
import { performance } from "node:perf_hooks";
import { Buffer } from "node:buffer";
import process from "node:process";
import { URL } from "node:url";
import { lintEntry } from "@livepatch-gitops/lpctl/core/lint/lint-entry";
import { lintPatches } from "@livepatch-gitops/lpctl/core/lint/lint";
import { manyHunks } from "./lint-large.mjs";
import { bigNewFile, longFunction, patchSeries } from "./lint-series.mjs";

const RUNS = Number(process.env.RUNS ?? 31);
const WARMUP = 5;

/** What `lpctl lint FILE` does after reading: validate's patch-file checks, then the rules. */
function lintAsCli(patches) {
  const findings = patches.flatMap((p) =>
    lintEntry({ path: p.path, size: Buffer.byteLength(p.text), text: p.text }),
  );
  const errors = findings.filter((f) => f.severity === "error").length;
  return { findings, errors, warnings: findings.length - errors };
}

function measure(input, runs = RUNS, warmup = WARMUP, lint = lintPatches) {
  let result;
  for (let i = 0; i < warmup; i++) result = lint(input.patches);
  const times = [];
  const cpu = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    result = lint(input.patches);
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const round = (ms) => Math.round(ms * 100) / 100;
  return {
    bytes: input.patches.reduce((n, p) => n + Buffer.byteLength(p.text), 0),
    patches: input.patches.length,
    lines: input.lines,
    findings: result.findings.length,
    errors: result.errors,
    warnings: result.warnings,
    runs: RUNS,
    medianMs: round(times[Math.floor(times.length / 2)]),
    minMs: round(times[0]),
    maxMs: round(times.at(-1)),
    // CPU time of this process (GC threads included): what the wall time is on an idle machine.
    medianCpuMs: round(cpu[Math.floor(cpu.length / 2)]),
  };
}

const LARGE_RUNS = Number(process.env.LARGE_RUNS ?? 5);
const manyHunksByMiB = {};
for (const mib of [1, 2, 4, 8]) {
  manyHunksByMiB[`${mib}MiB`] = measure(
    manyHunks(mib * 1024 * 1024 - 1024),
    LARGE_RUNS,
    1,
    lintAsCli,
  );
}

const series = measure(patchSeries(5000));
const worst = measure(bigNewFile(5000));
const longFn = measure(longFunction(5000));
const cpu = cpus();
const doc = {
  date: new Date().toISOString(),
  machine: {
    cpu: cpu[0]?.model ?? "unknown",
    cores: cpu.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()} ${arch()}`,
    node: process.version,
  },
  series5000: series,
  newFile5000: worst,
  longFunction5000: longFn,
  manyHunks: manyHunksByMiB,
};
writeFileSync(new URL("./results/lint.json", import.meta.url), JSON.stringify(doc, null, 2) + "\n");
process.stdout.write(JSON.stringify(doc, null, 2) + "\n");
