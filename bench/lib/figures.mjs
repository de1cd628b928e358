// The figures each benchmark contributes to bench/RESULTS.md, read from its
// results JSON (shapes: the writeFileSync at the end of each bench/*.mjs).
// Targets come from the JSON where it states them, else from the constants
// below (bench/README.md, "Targets"). A function gets the results documents
// keyed by file name and returns rows, each with the date of its document.
import {
  bytes,
  count,
  mb,
  ms,
  num,
  perSecond,
  ratio,
  row,
  seconds,
  statedTargets,
} from "./format.mjs";

/** Targets the results files do not state themselves (issues 3-12). */
export const DEFAULT_TARGETS = {
  lint8MiBMs: { op: "<", limit: 2000 },
  warmBuilderOverBare: { op: "≤", limit: 1.1 },
  coldOverOneKernelBuild: { op: "≤", limit: 1.15 },
  // issue 23: one exchange, ≤ 1 KB on the wire, ≤ 150 ms (was < 300 ms, issue 7).
  agentNoChangeSyncMs: { op: "≤", limit: 150 },
  agentNoChangeSyncRequests: { op: "≤", limit: 1 },
  agentNoChangeSyncBytes: { op: "≤", limit: 1024 },
  forgeSmallRequestP95Ms: { op: "<", limit: 20 },
  forgeIdleRssMb: { op: "<", limit: 150 },
  appPrToLintP95Ms: { op: "≤", limit: 2000 },
  publishVerifySelectMs: { op: "<", limit: 50 },
  // issue 23: one release for 1,000 targets × 2 rings; a host's ring manifest.
  publishRingsMs: { op: "≤", limit: 3000 },
  ringKernelManifestBytes: { op: "≤", limit: 4096 },
  demoCachedTotalSeconds: { op: "<", limit: 180 },
  // issue 21: no kernel compiled, Debian's packages downloaded and configured.
  demoColdTotalSeconds: { op: "≤", limit: 360 },
};

const limit = (value, fallback) => (value === undefined ? fallback : { ...fallback, limit: value });
// A row that carries its own date (a figure re-measured alone) keeps it.
const dated = (doc, rows) => rows.map((r) => ({ date: doc.date, ...r }));

function lint({ "lint.json": d }) {
  if (!d) return [];
  return dated(d, [
    row("5,000-line series of 29 patches, median", num(d, "series5000.medianMs"), ms),
    row("one new 5,000-line file, median", num(d, "newFile5000.medianMs"), ms),
    row("one 5,000-line hunk in one function, median", num(d, "longFunction5000.medianMs"), ms),
    row("manyHunks 1 MiB, as `lpctl lint`, median", num(d, "manyHunks.1MiB.medianMs"), ms),
    row(
      "manyHunks 8 MiB, as `lpctl lint`, median",
      num(d, "manyHunks.8MiB.medianMs"),
      ms,
      DEFAULT_TARGETS.lint8MiBMs,
    ),
    row("manyHunks 8 MiB, CPU median", num(d, "manyHunks.8MiB.medianCpuMs"), ms),
  ]);
}

function buildRows(d) {
  const stated = statedTargets(d);
  const warmT = stated.warmBuilderOverBare ?? DEFAULT_TARGETS.warmBuilderOverBare;
  return dated(d, [
    row("cold `lpctl kernel prepare`, wall", num(d, "seconds.coldPrepare"), seconds),
    row("cold `lpctl build`, wall", num(d, "seconds.coldBuild"), seconds),
    row("warm `lpctl build`, median wall", num(d, "seconds.warmBuildMedian"), seconds),
    row("bare kpatch-build, median wall", num(d, "seconds.bareKpatchBuildMedian"), seconds),
    row("warm build / bare kpatch-build, wall", num(d, "warmBuilderOverBare"), ratio, warmT),
    row("warm build / bare kpatch-build, CPU", num(d, "warmBuilderOverBareCpu"), ratio, warmT),
  ]);
}

function coldRows(d) {
  const t = statedTargets(d).coldOverOneKernelBuild ?? DEFAULT_TARGETS.coldOverOneKernelBuild;
  // build-cold.json names the wall ratio coldOverOneKernelBuildWall; build.json plain.
  const wall = num(d, "coldOverOneKernelBuild") ?? num(d, "coldOverOneKernelBuildWall");
  return dated(d, [
    row("plain kernel build (baseline), wall", num(d, "seconds.plainKernelBuild"), seconds),
    row("cold prepare + build / one kernel build, wall", wall, ratio, t),
    row(
      "cold prepare + build / one kernel build, CPU",
      num(d, "coldOverOneKernelBuildCpu"),
      ratio,
      t,
    ),
  ]);
}

function build(files) {
  const b = files["build.json"];
  const c = files["build-cold.json"];
  // The cold-path ratio comes from whichever file measured it last: build.mjs
  // writes it since recipe 3, build-cold.json holds a run recorded by hand.
  const hasCold = (d) => num(d, "coldOverOneKernelBuildCpu") !== undefined;
  const cold = [b, c]
    .filter((d) => d && hasCold(d))
    .sort((x, y) => String(y.date).localeCompare(String(x.date)))[0];
  const note = (rows) =>
    cold === c ? rows.map((r) => ({ ...r, figure: `${r.figure} (build-cold.json)` })) : rows;
  return [...(b ? buildRows(b) : []), ...(cold ? note(coldRows(cold)) : [])];
}

function vmTest({ "vm-test.json": d }) {
  if (!d) return [];
  return dated(d, [
    row("`lpctl vm-test`, median wall", num(d, "medianWallMs"), ms),
    row("qemu run, median", num(d, "medianVmMs"), ms),
    row("boot to /init, median", num(d, "medianBootMs"), ms),
  ]);
}

function publishRings({ "publish-rings.json": d }) {
  if (!d) return [];
  const files = num(d, "publish1000Targets2Rings_ed25519.files");
  return dated(d, [
    row(
      `publish 1,000 targets × 2 rings (build, sign, ${files === undefined ? "all" : count(files)} files), median`,
      num(d, "publish1000Targets2Rings_ed25519.medianMs"),
      ms,
      DEFAULT_TARGETS.publishRingsMs,
    ),
    row(
      "… its CPU (process.cpuUsage), median",
      num(d, "publish1000Targets2Rings_ed25519.medianCpuMs"),
      ms,
    ),
    row(
      "one host's ring manifest (kernel-<id>.<ring>.json)",
      num(d, "ringKernelManifest.bytes"),
      bytes,
      DEFAULT_TARGETS.ringKernelManifestBytes,
    ),
  ]);
}

function reboot({ "reboot.json": d }) {
  if (!d) return [];
  const t = statedTargets(d);
  return dated(d, [
    row(
      "boot unit start → pre-fetched patch live, median",
      num(d, "medianApplySeconds"),
      seconds,
      t.rebootApplySeconds,
    ),
    row("… the slowest run", num(d, "maxApplySeconds"), seconds, t.rebootApplySeconds),
    row("`node -e 0` in that guest, median (the floor)", num(d, "medianNodeFloorSeconds"), seconds),
    // The command's phases (LPCTL_TRACE), each group's median; older results have none.
    ...(d.medianGroupMs === undefined
      ? []
      : [
          ["nodeStart", "… phase: exec and Node's own start (cold)"],
          ["agentLoad", "… phase: agent bundle loaded, config read"],
          ["verifierLoad", "… phase: OpenPGP verifier loaded"],
          ["verify", "… phase: stored copy read and verified"],
          ["loadAndTransition", "… phase: insmod and the transition"],
          ["stateAndExit", "… phase: state written, process exit"],
        ].map(([g, label]) => row(label, num(d, `medianGroupMs.${g}`), ms))),
  ]);
}

function distro({ "distro.json": d }) {
  if (!d) return [];
  const t = statedTargets(d);
  // Not run by the script (hours on 2 cores): the row says so, with the estimate it records.
  const full = d.kpatchBuildFullBuild;
  const kpatchBuild = {
    figure: "kpatch-build's full build, same target (vmlinux + ~1,100 modules)",
    value: full?.measured === false ? `not measured (estimate ${full.estimate})` : "not recorded",
    target: "—",
    met: "—",
  };
  return dated(d, [
    row(
      "Debian cloud, cold (empty cache, downloads) to module",
      num(d, "coldModuleSeconds"),
      seconds,
      t.coldModuleSeconds,
    ),
    row(
      "Debian cloud, cold to module + VM test",
      num(d, "coldWithVmTestSeconds"),
      seconds,
      t.coldWithVmTestSeconds,
    ),
    // A warm-only run (COLD_RUNS=0) dates its own row.
    {
      ...row(
        "Debian cloud, warm (prepared tree) to module, median",
        num(d, "warmModuleSeconds"),
        seconds,
        t.warmModuleSeconds,
      ),
      ...(d.warmDate ? { date: d.warmDate } : {}),
    },
    row("cache per Debian kernel (`du`)", num(d, "cacheBytes"), bytes, t.cacheBytes),
    kpatchBuild,
  ]);
}

function publish({ "publish.json": d }) {
  if (!d) return [];
  const t = DEFAULT_TARGETS.publishVerifySelectMs;
  const m = "manifest1000x20_ed25519";
  const perKernel = Array.isArray(d.perKernelManifestSize_ed25519)
    ? d.perKernelManifestSize_ed25519.at(-1)
    : undefined;
  return dated(d, [
    row(
      "verify + select, 1,000 targets, Ed25519, median",
      num(d, `${m}.verifyAndSelect.medianMs`),
      ms,
      t,
    ),
    row(
      "verify + select, 1,000 targets, RSA-4096, median",
      num(d, "manifest1000x20_rsa4096.verifyAndSelect.medianMs"),
      ms,
      t,
    ),
    row("verify all 1,000 entries, Ed25519, median", num(d, `${m}.verifyFull.medianMs`), ms),
    row(
      "host verifies its per-kernel manifest, median",
      num(d, `${m}.verifyPerKernel.medianMs`),
      ms,
    ),
    row(
      `per-kernel manifest + signature at ${count(num(perKernel, "targets") ?? NaN)} targets`,
      num(perKernel, "totalBytes"),
      bytes,
    ),
    row("sign a 300 KB module, Ed25519, median", num(d, "module300k_ed25519.sign.medianMs"), ms),
    row(
      "publish 100 targets to a directory, median",
      num(d, "publish100Targets_ed25519.medianMs"),
      ms,
    ),
  ]);
}

function agent({ "agent.json": d }) {
  if (!d) return [];
  const t = limit(num(d, "noChangeSync.targetMs"), DEFAULT_TARGETS.agentNoChangeSyncMs);
  const tReq = limit(
    num(d, "noChangeSync.targetRequests"),
    DEFAULT_TARGETS.agentNoChangeSyncRequests,
  );
  const tBytes = limit(
    num(d, "noChangeSync.targetWireBytes"),
    DEFAULT_TARGETS.agentNoChangeSyncBytes,
  );
  return dated(d, [
    row("no-change sync, median wall", num(d, "noChangeSync.medianMs"), ms, t),
    row("no-change sync, median CPU", num(d, "noChangeSync.cpuMedianMs"), ms),
    row("no-change sync, HTTP exchanges", num(d, "noChangeSync.requests"), count, tReq),
    row("no-change sync, bytes on the wire", num(d, "noChangeSync.wireBytes"), bytes, tBytes),
    row(
      "no-change sync, no code cache yet (a new bundle's first run), median CPU",
      num(d, "noChangeSyncColdCache.cpuMedianMs"),
      ms,
    ),
    row("bare `node -e 0` start, median wall", num(d, "bundle.nodeBareStartMedianMs"), ms),
    row("bare `node -e 0` start, median CPU", num(d, "bundle.nodeBareStartCpuMedianMs"), ms),
    row("load average (1 min) when the agent bench ended", num(d, "loadAverage.0"), ratio),
    row(
      "no-change sync behind a redirect (GitHub URL), HTTP exchanges",
      num(d, "noChangeSyncRedirect.requests"),
      count,
    ),
    row(
      "no-change sync behind a redirect (GitHub URL), bytes",
      num(d, "noChangeSyncRedirect.wireBytes"),
      bytes,
    ),
    row("install sync, wall", num(d, "installSync.ms"), ms),
    row("install sync, bytes on the wire", num(d, "installSync.wireBytes"), bytes),
    row("`lpctl status --json`, median", num(d, "status.medianMs"), ms),
    row("agent bundle size", num(d, "bundle.bytes"), bytes),
  ]);
}

function forge({ "forge.json": d }) {
  if (!d) return [];
  const t = limit(num(d, "targets.smallRequestP95Ms"), DEFAULT_TARGETS.forgeSmallRequestP95Ms);
  const rss = limit(num(d, "targets.idleRssMb"), DEFAULT_TARGETS.forgeIdleRssMb);
  return dated(d, [
    row("get release, p95", num(d, "rest.releaseGet.p95Ms"), ms, t),
    row("create check run, p95", num(d, "rest.checkRunCreate.p95Ms"), ms, t),
    row("upload 1 MiB release asset, p95", num(d, "rest.assetUpload1MiB.p95Ms"), ms),
    row("webhook delivery, p95", num(d, "webhookDeliveryMs.p95Ms"), ms),
    row("idle `livepatch-forge` RSS", num(d, "idleRssMb"), mb, rss),
  ]);
}

function app({ "app.json": d }) {
  if (!d) return [];
  const t = limit(num(d, "targets.prOpenedToLintP95Ms"), DEFAULT_TARGETS.appPrToLintP95Ms);
  return dated(d, [
    row("PR opened → lint completed, p50", num(d, "prOpenedToLintCompleted.p50Ms"), ms),
    row("PR opened → lint completed, p95", num(d, "prOpenedToLintCompleted.p95Ms"), ms, t),
    row("webhook deliveries handled in full", num(d, "webhookThroughput.perSecond"), perSecond),
    row("webhook delivery answered, p95", num(d, "webhookThroughput.perDelivery.p95Ms"), ms),
  ]);
}

/** demo-cold.json: a run recorded by hand with an empty kernel cache and fresh demo data (bench/README.md). */
function demoCold(d) {
  if (!d) return [];
  return dated(d, [
    row(
      "whole demo, cold: empty kernel cache (demo-cold.json)",
      num(d, "totalSeconds"),
      seconds,
      DEFAULT_TARGETS.demoColdTotalSeconds,
    ),
  ]);
}

function demo({ "demo.json": d, "demo-cold.json": cold }) {
  if (!d) return demoCold(cold);
  const cached = d.run === "cached";
  const total = row(
    `whole demo, ${cached ? "cached" : "first"} run`,
    num(d, "totalSeconds"),
    seconds,
    DEFAULT_TARGETS.demoCachedTotalSeconds,
  );
  // The target is for a cached run; a first run prepares the target and fills the runner's caches.
  total.target = `${total.target} (cached run)`;
  if (!cached && total.met !== "—") total.met = "n/a (first run)";
  const steps = Array.isArray(d.steps) ? d.steps : [];
  const merge = steps.find((s) => /merge/i.test(String(s?.name)));
  return dated(d, [
    total,
    row("push → release v1", num(d, "pushToReleaseSeconds"), seconds),
    row("release → host patched", num(d, "releaseToHostPatchedSeconds"), seconds),
    row("merge → release v2", num(d, "mergeToReleaseSeconds") ?? num(merge, "seconds"), seconds),
    row("release v2 → host patched (no reboot)", num(d, "v2ToHostPatchedSeconds"), seconds),
  ]).concat(demoCold(cold));
}

/** Benchmark name → rows, in the order of bench/lib/benchmarks.mjs. */
export const FIGURES = {
  lint,
  publish,
  "publish-rings": publishRings,
  agent,
  forge,
  app,
  "vm-test": vmTest,
  reboot,
  distro,
  build,
  demo,
};
