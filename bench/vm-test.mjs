/**
 * VM test benchmark: one `lpctl vm-test` = pack the initramfs, boot the lab
 * kernel in qemu, load the cumulative module built from patches/, wait for
 * the transition, run the patches' checks, disable, rmmod, power off.
 *
 * Uses the kernel cache the tests use ($LPCTL_CACHE_DIR, else .cache/lpctl;
 * a cold cache means a full kernel build first), builds the module once with
 * `lpctl build`, then times RUNS runs of `lpctl vm-test --json`.
 * Run `node bench/vm-test.mjs` (env: RUNS=5); it writes bench/results/vm-test.json.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, release, tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import process from "node:process";
import { bundleCli } from "./bundle-cli.mjs";

const log = (line) => process.stdout.write(line + "\n");
const RUNS = Number(process.env.RUNS ?? 5);
const TARGET = "debian-6.1-lab";
const cache = process.env.LPCTL_CACHE_DIR ?? path.resolve(".cache/lpctl");
const out = mkdtempSync(path.join(tmpdir(), "lpctl-bench-vm-"));
const cli = bundleCli(".cache/bench/lpctl-vm.mjs");

function lpctl(args) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, ...args, "--cache", cache], {
    stdio: ["ignore", "pipe", "inherit"],
    encoding: "utf8",
  });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`lpctl ${args[0]} failed with exit ${r.status}\n${r.stdout}`);
  return { ms, stdout: r.stdout };
}

log(`build the module (cache ${cache})`);
lpctl(["build", "--target", TARGET, "--out", out, "--jobs", "2"]);
const module = path.join(
  out,
  readdirSync(out).find((f) => f.endsWith(".ko")),
);

const runs = [];
for (let i = 0; i < RUNS; i++) {
  const { ms, stdout } = lpctl(["vm-test", "--target", TARGET, "--module", module, "--json"]);
  const report = JSON.parse(stdout);
  if (!report.ok) throw new Error(`vm-test failed at ${report.failedStep}`);
  const at = Object.fromEntries(report.steps.map((s) => [s.name, s.atMs ?? null]));
  runs.push({ wallMs: Math.round(ms), packMs: report.packMs, vmMs: report.vmMs, stepAtMs: at });
  log(
    `run ${i + 1}: wall ${(ms / 1000).toFixed(1)} s, VM ${(report.vmMs / 1000).toFixed(1)} s (${report.accel})`,
  );
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const result = {
  date: new Date().toISOString(),
  command: "node bench/vm-test.mjs",
  machine: { cpus: cpus().length, kernel: release(), node: process.version },
  loadAverage: loadavg().map((x) => Math.round(x * 10) / 10),
  module: path.basename(module),
  runs,
  medianWallMs: median(runs.map((r) => r.wallMs)),
  medianVmMs: median(runs.map((r) => r.vmMs)),
  medianBootMs: median(runs.map((r) => r.stepAtMs.boot)),
};
mkdirSync("bench/results", { recursive: true });
writeFileSync("bench/results/vm-test.json", JSON.stringify(result, null, 2) + "\n");
log(
  `median wall ${result.medianWallMs} ms, VM ${result.medianVmMs} ms, boot ${result.medianBootMs} ms`,
);
