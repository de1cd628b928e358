/**
 * Publishing with rings: one release for 1,000 targets × 2 rings (canary
 * gets the new builds, stable the content of the previous release), built
 * and signed by the shared prepareRelease, and the size of one host's ring
 * manifest. Run `npm run build && node bench/publish-rings.mjs`; it writes
 * bench/results/publish-rings.json.
 */
import { writeFileSync } from "node:fs";
import { arch, cpus, loadavg, platform, release, totalmem } from "node:os";
import { performance } from "node:perf_hooks";
import process from "node:process";
import { URL } from "node:url";
import { nextManifest } from "@livepatch-gitops/lpctl/core/manifest-build";
import { generateSigningKey } from "@livepatch-gitops/lpctl/core/sign/generate-signing-key";
import { createOpenpgpSigner } from "@livepatch-gitops/lpctl/core/sign/openpgp-signer";
import { prepareRelease } from "@livepatch-gitops/lpctl/publisher/prepare-release";
import { benchReport, bytesFor } from "./lib/publish-inputs.mjs";

const TARGETS = 1000;
const MODULE_SIZE = 4096;
const RUNS = Number(process.env.RUNS ?? 5);
const round = (ms) => Math.round(ms * 100) / 100;
const patchIds = Array.from({ length: 20 }, (_, i) => `cve-2026-${10000 + i}-sched-uaf`);
const patches = Object.fromEntries(
  patchIds.map((id, i) => [
    id,
    {
      title: `net/sched: fix use-after-free in qdisc teardown (${i})`,
      cves: [`CVE-2026-${10000 + i}`],
    },
  ]),
);

/** Build outputs of `serial` for every target: new module names and bytes. */
function outputs(serial) {
  const modules = new Map();
  const reports = Array.from({ length: TARGETS }, (_, i) => {
    const target = `lab-${String(i).padStart(4, "0")}`;
    const bytes = bytesFor(`${target}-${serial}`, MODULE_SIZE);
    const file = `livepatch-r${serial}-${target}.ko`;
    modules.set(file, bytes);
    return benchReport(target, bytes, patchIds, file);
  });
  return { reports, modules, reportBytes: new Map() };
}

const now = new Date();
const key = await generateSigningKey({ name: "bench" });
const signer = await createOpenpgpSigner(key.privateKey);
const v1Out = outputs(1);
const v1 = nextManifest({
  reports: v1Out.reports,
  patches,
  repository: "example/livepatches",
  now,
});
// The stable ring's release, as the publisher reads it back (already verified).
const source = {
  release: async () => ({ manifest: v1, modules: async (f) => v1Out.modules.get(f), where: "v1" }),
};
const rings = { rings: [{ name: "canary" }, { name: "stable", release: 1 }] };
const v2Out = outputs(2);

const times = [];
// CPU as well: the machine is shared, and a loaded one stretches the wall time.
const cpu = [];
let prepared;
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  prepared = await prepareRelease({
    previous: v1,
    outputs: v2Out,
    patches,
    repository: "example/livepatches",
    now,
    signer,
    rings: { file: rings, source },
  });
  times.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  cpu.push((c.user + c.system) / 1000);
}
times.sort((a, b) => a - b);
cpu.sort((a, b) => a - b);
const stablePart = prepared.files.find((f) => f.name.endsWith(".stable.json"));
const stableSig = prepared.files.find((f) => f.name === `${stablePart.name}.asc`);
const out = {
  date: new Date().toISOString(),
  machine: {
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()} ${arch()}`,
    node: process.version,
    // The wall time depends on the neighbours on a shared machine; the CPU figure does not.
    loadavgAtEnd: loadavg().map(round),
  },
  publish1000Targets2Rings_ed25519: {
    targets: TARGETS,
    rings: 2,
    patchesPerTarget: patchIds.length,
    moduleBytes: MODULE_SIZE,
    files: prepared.files.length,
    runs: RUNS,
    medianMs: round(times[RUNS >> 1]),
    minMs: round(times[0]),
    maxMs: round(times[RUNS - 1]),
    medianCpuMs: round(cpu[RUNS >> 1]),
  },
  ringKernelManifest: { bytes: stablePart.bytes.length, signatureBytes: stableSig.bytes.length },
};
writeFileSync(
  new URL("./results/publish-rings.json", import.meta.url),
  JSON.stringify(out, null, 2) + "\n",
);
process.stdout.write(JSON.stringify(out, null, 2) + "\n");
