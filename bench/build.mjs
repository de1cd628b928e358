/**
 * Builder benchmark: the real lab kernel and the one-function patch
 * (patches/cmdline-banner) on this machine.
 *
 * 1. cold `lpctl kernel prepare` into a fresh cache (download and unpack
 *    the pinned source, configure, make bzImage modules with kpatch-build's
 *    compiler wrapper and flags, pristine copies);
 * 2. cold `lpctl build --patch cmdline-banner` (kpatch-build's first run on
 *    the tree: its "original source" build should find the tree up to date);
 * 3. one plain kernel build of the same source and .config (fresh tree,
 *    `make bzImage modules` with the kernel's own flags): the baseline the
 *    cold path is measured against (target: prepare + cold build ≤ 1.15 ×
 *    one kernel build);
 * 4. then, alternating, warm `lpctl build` and a bare `kpatch-build` on the
 *    same prepared tree with the same CACHEDIR and arguments, RUNS times each.
 *
 * The ratio warm builder / bare kpatch-build is the builder's overhead
 * (node start, repository load, cache check, report, modinfo).
 * Run `node bench/build.mjs` (env: RUNS=3, JOBS=all CPUs, BENCH_CACHE=fresh
 * temp dir); it writes bench/results/build.json.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import process from "node:process";
import { bundleCli } from "./bundle-cli.mjs";

const log = (...parts) => process.stdout.write(parts.join(" ") + "\n");
const RUNS = Number(process.env.RUNS ?? 3);
const JOBS = String(process.env.JOBS ?? availableParallelism());
const TARGET = "debian-6.1-lab";
const PATCH = "cmdline-banner";
const cache = process.env.BENCH_CACHE ?? mkdtempSync(path.join(tmpdir(), "lpctl-bench-cache-"));
const work = mkdtempSync(path.join(tmpdir(), "lpctl-bench-out-"));
const cli = bundleCli(".cache/bench/lpctl.mjs");

// GNU time adds the children's CPU time (user + sys): wall time on a shared
// 2-core machine moves with other people's builds, CPU time much less.
function timed(label, cmd, args, env = {}) {
  const cpuFile = path.join(work, "cpu.txt");
  const t0 = performance.now();
  const r = spawnSync("/usr/bin/time", ["-f", "%U %S", "-o", cpuFile, cmd, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
  const secs = (performance.now() - t0) / 1000;
  if (r.status !== 0) {
    process.stderr.write(r.stdout);
    throw new Error(`${label} failed with exit ${r.status}`);
  }
  const [user = 0, sys = 0] = readFileSync(cpuFile, "utf8")
    .trim()
    .split("\n")
    .at(-1)
    .split(" ")
    .map(Number);
  const cpu = user + sys;
  log(`${label}: ${secs.toFixed(1)} s wall, ${cpu.toFixed(1)} s cpu`);
  return { secs, cpu, stdout: r.stdout };
}

const lpctl = (label, args) =>
  timed(label, process.execPath, [cli, ...args, "--cache", cache, "--jobs", JOBS]);
const build = (label, out) =>
  lpctl(label, ["build", "--target", TARGET, "--patch", PATCH, "--out", out, "--serial", "1"]);

const cold = lpctl("cold prepare", ["kernel", "prepare", "--target", TARGET, "--json"]);
const prepared = JSON.parse(cold.stdout.slice(cold.stdout.indexOf("{")));
const coldBuild = build("cold build", path.join(work, "cold"));

// One plain kernel build of the same inputs: the prepared tree's source and .config.
const plainTree = path.join(work, "plain");
mkdirSync(plainTree);
// The very .deb prepare used: its version is in the source identity (debian:PKG=VERSION@sha256:…).
const [, pkg, version] = /^debian:([^=]+)=([^@]+)@/.exec(prepared.source) ?? [];
const deb = `${pkg}_${version}.deb`;
const unpack = spawnSync(
  "sh",
  [
    "-c",
    'dpkg-deb --fsys-tarfile "$1" | tar -xO --wildcards "./usr/src/*.tar.xz" | tar -xJ -C "$2" --strip-components=1',
    "unpack",
    path.join(cache, "debian", deb),
    plainTree,
  ],
  { stdio: "inherit" },
);
if (unpack.status !== 0) throw new Error("unpacking the source for the plain build failed");
writeFileSync(
  path.join(plainTree, ".config"),
  readFileSync(path.join(prepared.pristine, ".config")),
);
timed("plain olddefconfig", "make", ["-C", plainTree, "olddefconfig"]);
const plain = timed("plain kernel build", "make", [
  "-C",
  plainTree,
  `-j${JOBS}`,
  "bzImage",
  "modules",
]);
spawnSync("rm", ["-rf", plainTree]);

const kpatchBuild =
  process.env.LPCTL_KPATCH_BUILD ??
  (spawnSync("sh", ["-c", "command -v kpatch-build"], { encoding: "utf8" }).stdout.trim() ||
    "/opt/livepatch-gitops/tools/usr/bin/kpatch-build");
const patchFiles = readdirSync(path.join("patches", PATCH))
  .filter((f) => f.endsWith(".patch"))
  .sort()
  .map((f) => path.resolve("patches", PATCH, f));
const kpatchCache = path.join(cache, "kpatch", path.basename(prepared.dir));

// The environment the builder gives make and kpatch-build (packages/lpctl/src/builder/kernel/kernel-make.ts), so
// the bare run rebuilds exactly what the builder's run rebuilds.
const REPRODUCIBLE_ENV = {
  KBUILD_BUILD_TIMESTAMP: "Thu Jan  1 00:00:00 UTC 2026",
  KBUILD_BUILD_USER: "lpctl",
  KBUILD_BUILD_HOST: "livepatch-gitops",
  KBUILD_BUILD_VERSION: "1",
  LC_ALL: "C",
};

const warm = [];
const bare = [];
const warmCpu = [];
const bareCpu = [];
for (let i = 0; i < RUNS; i++) {
  const w = build(`warm build #${i + 1}`, path.join(work, `warm${i}`));
  warm.push(w.secs);
  warmCpu.push(w.cpu);
  const out = path.join(work, `bare${i}`);
  mkdirSync(out);
  const args = [
    "-s",
    prepared.tree,
    "-c",
    path.join(prepared.tree, ".config"),
    "-v",
    path.join(prepared.pristine, "vmlinux"),
    "-j",
    JOBS,
    "-n",
    "lp_bench_bare",
    "-o",
    out,
    ...patchFiles,
  ];
  const b = timed(`bare kpatch-build #${i + 1}`, kpatchBuild, args, {
    ...REPRODUCIBLE_ENV,
    ...prepared.make.env,
    CACHEDIR: kpatchCache,
  });
  bare.push(b.secs);
  bareCpu.push(b.cpu);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x) => Math.round(x * 100) / 100;
const report = JSON.parse(
  readFileSync(path.join(work, `warm${RUNS - 1}`, "build-report.json"), "utf8"),
);
const results = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavgAtEnd: loadavg().map(round) },
  jobs: Number(JOBS),
  kernel: {
    target: TARGET,
    release: prepared.release,
    buildId: prepared.buildId,
    compiler: prepared.compiler,
  },
  kpatchBuild: report.toolchain.kpatchBuild,
  patch: PATCH,
  changes: report.changes,
  seconds: {
    coldPrepare: round(cold.secs),
    coldPrepareCpu: round(cold.cpu),
    coldPreparePhases: prepared.timings,
    coldBuild: round(coldBuild.secs),
    coldBuildCpu: round(coldBuild.cpu),
    coldBuildPhases: JSON.parse(readFileSync(path.join(work, "cold", "build-report.json"), "utf8"))
      .timings,
    plainKernelBuild: round(plain.secs),
    plainKernelBuildCpu: round(plain.cpu),
    warmBuild: warm.map(round),
    bareKpatchBuild: bare.map(round),
    warmBuildMedian: round(median(warm)),
    bareKpatchBuildMedian: round(median(bare)),
    warmBuildCpu: warmCpu.map(round),
    bareKpatchBuildCpu: bareCpu.map(round),
  },
  coldOverOneKernelBuild: round((cold.secs + coldBuild.secs) / plain.secs),
  coldOverOneKernelBuildCpu: round((cold.cpu + coldBuild.cpu) / plain.cpu),
  warmBuilderOverBare: round(median(warm) / median(bare)),
  warmBuilderOverBareCpu: round(median(warmCpu) / median(bareCpu)),
  targets: ["coldOverOneKernelBuild <= 1.15", "warmBuilderOverBare <= 1.10"],
};
mkdirSync("bench/results", { recursive: true });
writeFileSync("bench/results/build.json", JSON.stringify(results, null, 2) + "\n");
log(
  JSON.stringify(results.seconds),
  "cold/one kernel build",
  results.coldOverOneKernelBuild,
  "warm/bare",
  results.warmBuilderOverBare,
);
