/**
 * Debian binary kernel benchmark (issue 21, "Speed and size"): the per-object
 * engine on `debian-12-cloud-amd64` and the one-function patch
 * `patches/cmdline-banner`.
 *
 * - cold: an empty cache (BENCH_CACHE, default a fresh temp dir), so the
 *   package downloads, unpacking, configuring and the -dbg symbol work are
 *   all in it: `lpctl build` (module ready), then `lpctl vm-test` (Debian's
 *   vmlinuz in qemu); COLD_RUNS times (default 1: ~5 min and ~450 MB of
 *   downloads each), each into a fresh cache;
 * - warm: RUNS (default 3) `lpctl build`s on the prepared tree the cold run
 *   left (target ≤ 30 s to the module); with COLD_RUNS=0 on an existing
 *   prepared cache instead (BENCH_CACHE, else LPCTL_CACHE_DIR, else
 *   ~/.cache/livepatch-gitops), which is then kept, and the results keep
 *   the cold figures of the previous distro.json with their own date;
 * - size: `du` of the cache after the cold run, in total and per part
 *   (target < 2 GB per Debian kernel).
 *
 * kpatch-build's own path for this target (a full kernel build with Debian's
 * config: vmlinux and ~1,100 modules) is not run here; the results carry the
 * issue's estimate for it. The cache is deleted at the end (BENCH_KEEP=1
 * keeps it): never point BENCH_CACHE at a cache you keep. BENCH_NOTE says
 * what else ran meanwhile. Run `node bench/distro.mjs`; it writes
 * bench/results/distro.json.
 */
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { cpus, homedir, loadavg, release, tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import process from "node:process";
import { bundleCli } from "./bundle-cli.mjs";

const log = (line) => process.stdout.write(line + "\n");
const RUNS = Number(process.env.RUNS ?? 3);
const COLD_RUNS = Number(process.env.COLD_RUNS ?? 1);
const TARGET = "debian-12-cloud-amd64";
const PATCH = "cmdline-banner";
const cli = bundleCli(".cache/bench/lpctl-distro.mjs");

/** One lpctl run under GNU time: wall (ms), CPU (s) and its stdout. */
function lpctl(args, cache) {
  const t0 = performance.now();
  const r = spawnSync(
    "/usr/bin/time",
    ["-f", "@@time %U %S", process.execPath, cli, ...args, "--cache", cache],
    { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", env: noReuse() },
  );
  const ms = performance.now() - t0;
  if (r.status !== 0) {
    throw new Error(`lpctl ${args.join(" ")} failed (exit ${r.status})\n${r.stdout}\n${r.stderr}`);
  }
  const [, user, sys] = /@@time (\S+) (\S+)/.exec(r.stderr) ?? [];
  return {
    ms: Math.round(ms),
    cpuS: Math.round((Number(user) + Number(sys)) * 10) / 10,
    stdout: r.stdout,
  };
}

/** Module reuse would skip the engine; a benchmark of the engine must not reuse. */
function noReuse() {
  const env = { ...process.env };
  delete env.LPCTL_REUSE_MODULES;
  return env;
}

/** `du -sb` of a directory, in bytes. */
function du(dir) {
  const r = spawnSync("du", ["-sb", dir], { encoding: "utf8" });
  return Number(r.stdout.split("\t")[0]);
}

function sizes(cache) {
  const part = (p) => du(path.join(cache, p));
  const entry = readdirSync(path.join(cache, "kernels")).find(
    (d) => d.startsWith(`${TARGET}-`) && !d.endsWith(".lock"),
  );
  const k = path.join("kernels", entry);
  return {
    totalBytes: du(cache),
    preparedTreeBytes: part(path.join(k, "tree")),
    pristineBytes: part(path.join(k, "pristine")),
    debsBytes: part("debian"),
  };
}

function build(cache, label) {
  const out = mkdtempSync(path.join(tmpdir(), "lpctl-bench-distro-out-"));
  const r = lpctl(["build", "--target", TARGET, "--patch", PATCH, "--out", out, "--json"], cache);
  const report = JSON.parse(r.stdout);
  if (report.result !== "success") throw new Error(`${label} build failed`);
  const ko = path.join(out, report.module.file);
  log(`${label}: module in ${(r.ms / 1000).toFixed(1)} s (CPU ${r.cpuS} s)`);
  return { ...r, ko, out, timings: report.timings };
}

const base = process.env.BENCH_CACHE;
const cold = [];
let warmCache;
for (let i = 0; i < COLD_RUNS; i++) {
  const cache = base ?? mkdtempSync(path.join(tmpdir(), "lpctl-bench-distro-cache-"));
  if (base !== undefined) rmSync(base, { recursive: true, force: true });
  mkdirSync(cache, { recursive: true });
  log(`cold run ${i + 1}: empty cache ${cache}`);
  const b = build(cache, `cold run ${i + 1}`);
  // The module holds PATCH only: its own test, not every patch's of the target.
  const vm = lpctl(
    [
      "vm-test",
      "--target",
      TARGET,
      "--module",
      b.ko,
      "--expect-command",
      "cat /proc/cmdline",
      "--expect",
      "livepatched",
      "--json",
    ],
    cache,
  );
  if (!JSON.parse(vm.stdout).ok) throw new Error("vm-test failed");
  log(`cold run ${i + 1}: vm-test ${(vm.ms / 1000).toFixed(1)} s`);
  cold.push({
    moduleReadyMs: b.ms,
    moduleReadyCpuS: b.cpuS,
    vmTestMs: vm.ms,
    withVmTestMs: b.ms + vm.ms,
    phases: b.timings,
    ...sizes(cache),
  });
  rmSync(b.out, { recursive: true, force: true });
  if (warmCache !== undefined && warmCache !== cache)
    rmSync(warmCache, { recursive: true, force: true });
  warmCache = cache;
}

// COLD_RUNS=0: the warm runs use a cache prepared before, which is not ours to delete.
const existing =
  COLD_RUNS === 0
    ? (base ?? process.env.LPCTL_CACHE_DIR ?? path.join(homedir(), ".cache", "livepatch-gitops"))
    : undefined;
if (existing !== undefined) warmCache = existing;
const warm = [];
for (let i = 0; i < RUNS; i++) {
  const b = build(warmCache, `warm run ${i + 1}`);
  warm.push({ moduleReadyMs: b.ms, cpuS: b.cpuS, phases: b.timings });
  rmSync(b.out, { recursive: true, force: true });
}
if (existing === undefined && process.env.BENCH_KEEP !== "1")
  rmSync(warmCache, { recursive: true, force: true });

function note(avg) {
  const n = process.env.BENCH_NOTE;
  return n ? `${avg.join(", ")} (${n})` : avg;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const RESULT = "bench/results/distro.json";
const previous =
  existing !== undefined && existsSync(RESULT)
    ? JSON.parse(readFileSync(RESULT, "utf8"))
    : undefined;
const coldFigures = (r) => ({
  date: r.date,
  loadAverage: r.loadAverage,
  cold: r.cold,
  coldModuleSeconds: r.coldModuleSeconds,
  coldWithVmTestSeconds: r.coldWithVmTestSeconds,
  cacheBytes: r.cacheBytes,
});
const result = {
  date: new Date().toISOString(),
  command: "node bench/distro.mjs",
  machine: {
    cpus: cpus().length,
    model: cpus()[0]?.model,
    kernel: release(),
    node: process.version,
  },
  // BENCH_NOTE: what else ran on the machine meanwhile (a shared runner's CI, other builds).
  loadAverage: note(loadavg().map((x) => Math.round(x * 10) / 10)),
  target: TARGET,
  patch: PATCH,
  targets: [
    "coldModuleSeconds <= 240",
    "coldWithVmTestSeconds <= 300",
    "warmModuleSeconds <= 30",
    "cacheBytes < 2000000000",
  ],
  cold,
  warm,
  coldModuleSeconds: median(cold.map((c) => c.moduleReadyMs)) / 1000,
  coldWithVmTestSeconds: median(cold.map((c) => c.withVmTestMs)) / 1000,
  warmModuleSeconds: warm.length > 0 ? median(warm.map((w) => w.moduleReadyMs)) / 1000 : null,
  cacheBytes: median(cold.map((c) => c.totalBytes)),
  // Warm-only run: the cold figures (and their date and load) are the previous run's.
  ...(previous === undefined
    ? {}
    : {
        ...coldFigures(previous),
        warmDate: new Date().toISOString(),
        warmLoadAverage: note(loadavg().map((x) => Math.round(x * 10) / 10)),
        warmCache: "an existing prepared cache (COLD_RUNS=0)",
      }),
  kpatchBuildFullBuild: {
    measured: false,
    estimate: "1-2 h on 2 cores, issue 21",
    what: "kpatch-build's first run on this target compiles vmlinux and ~1,100 modules with Debian's config",
  },
};
mkdirSync("bench/results", { recursive: true });
writeFileSync(RESULT, JSON.stringify(result, null, 2) + "\n");
log(
  `cold: module ${result.coldModuleSeconds} s, with vm-test ${result.coldWithVmTestSeconds} s; ` +
    `warm median ${result.warmModuleSeconds} s; cache ${(result.cacheBytes / 1e9).toFixed(2)} GB`,
);
