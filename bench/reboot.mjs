/**
 * Reboot benchmark (issue 23): how long after the boot unit's command starts
 * the pre-fetched patch is live, in qemu. Runs the scenario of
 * packages/lpctl/test/e2e/reboot-vm.test.ts (packages/lpctl/test/e2e/helpers/reboot-vm.ts, bundled here
 * with esbuild like bundle-cli.mjs does for the CLI): boot 1, the lab
 * kernel, syncs and prepares Debian's installed cloud kernel; boot 2 runs
 * Debian's kernel with no network and times `lpctl sync --offline` (the
 * ExecStart of lpctl-boot.service) with the guest's clock, from its start
 * to its exit with the module enabled and its transition done, and splits
 * that time into the command's phases (its LPCTL_TRACE lines).
 *
 * Needs the kernel cache the tests use (both targets prepared).
 * Run `node bench/reboot.mjs` (env: RUNS=3); it writes bench/results/reboot.json.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, release } from "node:os";
import path from "node:path";
import process from "node:process";
import { pathToFileURL } from "node:url";

const RUNS = Number(process.env.RUNS ?? 3);
const log = (line) => process.stdout.write(line + "\n");
const bundle = path.resolve(".cache/bench/reboot-vm.mjs");
mkdirSync(path.dirname(bundle), { recursive: true });
execFileSync(
  "npx",
  [
    "esbuild",
    "packages/lpctl/test/e2e/helpers/reboot-vm.ts",
    "--bundle",
    "--platform=node",
    "--format=esm",
    `--outfile=${bundle}`,
    "--packages=external",
    "--log-level=warning",
  ],
  { stdio: "inherit" },
);
const { prepareRebootInputs, runRebootScenario, outputOf, stepDetail } = await import(
  pathToFileURL(bundle).href
);

// The modules are inputs, not what is measured: reuse kpatch-build's output
// for identical inputs (a local, trusted cache; docs/building.md).
process.env.LPCTL_REUSE_MODULES ??= "1";
const inputs = await prepareRebootInputs();
const runs = [];
for (let i = 0; i < RUNS; i++) {
  const r = await runRebootScenario(inputs);
  const live = outputOf(r.boot2, "livepatch");
  const rc = stepDetail(r.boot2, "offline") ?? "";
  if (r.boot2.outcome !== "completed" || !rc.startsWith("rc=0 ") || !/ 1 0$/.test(live)) {
    throw new Error(
      `boot 2 did not apply the stored patch (${rc}, ${live}):\n${r.boot2.consoleTail}`,
    );
  }
  if (!outputOf(r.boot2, "after").includes("livepatched"))
    throw new Error("patch output not visible");
  runs.push({
    applySeconds: r.applySeconds,
    startedAtUptime: r.startedAtUptime,
    nodeFloorSeconds: r.nodeFloorSeconds,
    phases: Object.fromEntries(r.phases.map((p) => [p.phase, p.ms])),
    accel: r.boot2.accel,
    // The host's 1-minute load as the run ended: TCG's speed follows it.
    hostLoad1: Math.round(loadavg()[0] * 10) / 10,
    boot1Ms: r.boot1.durationMs,
    boot2Ms: r.boot2.durationMs,
  });
  log(
    `run ${i + 1}: patched ${r.applySeconds} s after the boot unit's command started (${r.boot2.accel}); ` +
      `phases (ms): ${r.phases.map((p) => `${p.phase} ${p.ms}`).join(", ")}`,
  );
}

// The phases grouped by what they cost (their trace names: packages/lpctl/src/agent/trace.ts
// and packages/lpctl/test/e2e/helpers/reboot-vm.ts); "verify" is the rest of the run: reading
// state, keys and the stored copy, checking it against its verification record (or, for a
// copy without one, its signatures: then verifierLoad is OpenPGP's loading) and the rules.
const GROUPS = {
  nodeStart: ["exec", "node-bootstrap"],
  agentLoad: ["agent-loaded", "config-loaded"],
  verifierLoad: ["verifier-loaded"],
  loadAndTransition: ["execa-loaded", "insmod", "transition-done"],
  stateAndExit: ["previous-retired", "state-written", "exit", "exited"],
};
function groupsOf(phases, totalMs) {
  const sum = (names) => names.reduce((a, n) => a + (phases[n] ?? 0), 0);
  const groups = Object.fromEntries(Object.entries(GROUPS).map(([g, names]) => [g, sum(names)]));
  const grouped = Object.values(groups).reduce((a, b) => a + b, 0);
  return { ...groups, verify: Math.round(totalMs - grouped) };
}
for (const r of runs) r.groupMs = groupsOf(r.phases, r.applySeconds * 1000);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const result = {
  date: new Date().toISOString(),
  command: "node bench/reboot.mjs",
  machine: { cpus: cpus().length, kernel: release(), node: process.version },
  loadAverage: loadavg().map((x) => Math.round(x * 10) / 10),
  target: "rebootApplySeconds <= 5",
  runs,
  medianApplySeconds: median(runs.map((r) => r.applySeconds)),
  maxApplySeconds: Math.max(...runs.map((r) => r.applySeconds)),
  medianNodeFloorSeconds: median(runs.map((r) => r.nodeFloorSeconds)),
  // Each group's and phase's median over the runs (ms; LPCTL_TRACE lines).
  medianGroupMs: Object.fromEntries(
    Object.keys(runs[0]?.groupMs ?? {}).map((g) => [g, median(runs.map((r) => r.groupMs[g]))]),
  ),
  medianPhaseMs: Object.fromEntries(
    Object.keys(runs[0]?.phases ?? {}).map((p) => [p, median(runs.map((r) => r.phases[p] ?? 0))]),
  ),
};
mkdirSync("bench/results", { recursive: true });
writeFileSync("bench/results/reboot.json", JSON.stringify(result, null, 2) + "\n");
log(
  `median ${result.medianApplySeconds} s, max ${result.maxApplySeconds} s (target ≤ 5 s); ` +
    `node -e 0 in the same guest: ${result.medianNodeFloorSeconds} s; ` +
    `median ms by group: ${JSON.stringify(result.medianGroupMs)}`,
);
