/**
 * Publisher benchmark: signing and verifying a 300 KB module; a 1,000-target
 * × 20-patch manifest (build, sign, verify + select one target); the size of
 * one per-kernel manifest + signature as targets grow; publishing 100 targets
 * to a mirror directory. Run `npm run build && node bench/publish.mjs`; it
 * writes bench/results/publish.json.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { arch, cpus, platform, release, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import process from "node:process";
import { URL } from "node:url";
import { TextEncoder } from "node:util";
import { canonicalJsonBytes } from "@livepatch-gitops/lpctl/core/canonical-json";
import { nextManifest, splitManifest } from "@livepatch-gitops/lpctl/core/manifest-build";
import { generateSigningKey } from "@livepatch-gitops/lpctl/core/sign/generate-signing-key";
import { createOpenpgpSigner } from "@livepatch-gitops/lpctl/core/sign/openpgp-signer";
import { verifyDetached, verifyManifest } from "@livepatch-gitops/lpctl/core/verify/index";
import { writeMirror } from "@livepatch-gitops/lpctl/publisher/mirror-directory";
import { prepareRelease } from "@livepatch-gitops/lpctl/publisher/prepare-release";
import { benchReport, bytesFor, sha256 } from "./lib/publish-inputs.mjs";

const RUNS = Number(process.env.RUNS ?? 15);
const MODULE_SIZE = 300 * 1024;
const PATCHES = 20;
const round = (ms) => Math.round(ms * 100) / 100;

async function timed(fn, runs = RUNS) {
  for (let i = 0; i < 3; i++) await fn();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return {
    runs,
    medianMs: round(times[runs >> 1]),
    minMs: round(times[0]),
    maxMs: round(times[runs - 1]),
  };
}

// Realistic metadata: ids like the repository's, a ~50-character title, one
// CVE, the PR number and an abbreviated (12-hex) upstream commit.
const patchIds = Array.from({ length: PATCHES }, (_, i) => `cve-2026-${10000 + i}-sched-uaf`);
const patches = Object.fromEntries(
  patchIds.map((id, i) => [
    id,
    {
      title: `net/sched: fix use-after-free in qdisc teardown (${i})`,
      cves: [`CVE-2026-${10000 + i}`],
      pr: 100 + i,
      commit: sha256(id).slice(0, 12),
    },
  ]),
);

const report = (target, moduleBytes) => benchReport(target, moduleBytes, patchIds);

const targetsOf = (n) => Array.from({ length: n }, (_, i) => `lab-${String(i).padStart(4, "0")}`);
const now = new Date();
const results = {};
for (const type of ["ed25519", "rsa4096"]) {
  const key = await generateSigningKey({ name: "bench", rsa: type === "rsa4096" });
  const signer = await createOpenpgpSigner(key.privateKey);
  const module = bytesFor("module", MODULE_SIZE);
  const sig = await signer.sign(module);
  results[`module300k_${type}`] = {
    sign: await timed(() => signer.sign(module)),
    verify: await timed(() => verifyDetached(module, sig, [key.publicKey], now)),
    signatureBytes: sig.length,
  };

  // 1,000 targets × 20 patches: the full manifest, and one host's work.
  const targets = targetsOf(1000);
  const reports = targets.map((t) => report(t, bytesFor(t, 64)));
  const manifest = nextManifest({ reports, patches, repository: "example/livepatches", now });
  const bytes = canonicalJsonBytes(manifest);
  const msig = new TextEncoder().encode(await signer.sign(bytes));
  const wanted = manifest.kernels[737].buildId;
  const partBytes = canonicalJsonBytes(splitManifest(manifest)[737]);
  const partSig = new TextEncoder().encode(await signer.sign(partBytes));
  const perEntry = (bytes.length - canonicalJsonBytes({ ...manifest, kernels: [] }).length) / 1000;
  results[`manifest1000x20_${type}`] = {
    manifestBytes: bytes.length,
    /** How many 20-patch targets fit under the 4 MiB cap readers enforce. */
    targetsUnderCap: Math.floor((4 * 2 ** 20 - 200) / perEntry),
    build: await timed(
      () => nextManifest({ reports, patches, repository: "example/livepatches", now }),
      5,
    ),
    sign: await timed(() => signer.sign(bytes), 5),
    /** What a tool that wants one target does: verify, then validate only that entry. */
    verifyAndSelect: await timed(async () => {
      const r = await verifyManifest({
        manifest: bytes,
        signature: msig,
        keys: [key.publicKey],
        now,
        select: wanted,
      });
      if (r.manifest.kernels[0]?.buildId !== wanted) throw new Error("target not found");
    }),
    /** Verify and validate all 1,000 entries. */
    verifyFull: await timed(async () => {
      const r = await verifyManifest({
        manifest: bytes,
        signature: msig,
        keys: [key.publicKey],
        now,
      });
      if (!r.manifest.kernels.find((k) => k.buildId === wanted))
        throw new Error("target not found");
    }),
    /** What a host does: verify its own kernel-<buildId>.json (see perKernelManifestSize). */
    verifyPerKernel: await timed(async () => {
      const r = await verifyManifest({
        manifest: partBytes,
        signature: partSig,
        keys: [key.publicKey],
        now,
      });
      if (r.manifest.kernels[0]?.buildId !== wanted) throw new Error("target not found");
    }),
  };

  // What one host downloads per check, as the repository grows.
  const growth = [];
  for (const n of [1, 10, 100, 1000]) {
    const m = nextManifest({
      reports: reports.slice(0, n),
      patches,
      repository: "example/livepatches",
      now,
    });
    const part = canonicalJsonBytes(splitManifest(m)[0]);
    const partSig = await signer.sign(part);
    growth.push({
      targets: n,
      kernelManifestBytes: part.length,
      signatureBytes: partSig.length,
      totalBytes: part.length + partSig.length,
    });
  }
  results[`perKernelManifestSize_${type}`] = growth;
}

// Publishing 100 targets (300 KB modules) to a mirror directory, cold.
{
  const key = await generateSigningKey({ name: "bench" });
  const signer = await createOpenpgpSigner(key.privateKey);
  const targets = targetsOf(100);
  const modules = new Map();
  const reports = targets.map((t) => {
    const b = bytesFor(t, MODULE_SIZE);
    const r = report(t, b);
    modules.set(r.module.file, b);
    return r;
  });
  const outputs = {
    reports,
    modules,
    reportBytes: new Map(reports.map((r) => [r.target, canonicalJsonBytes(r)])),
  };
  const runs = Number(process.env.PUBLISH_RUNS ?? 5);
  const times = [];
  let files = 0;
  for (let i = 0; i < runs; i++) {
    const dir = mkdtempSync(join(tmpdir(), "lpctl-bench-"));
    const t0 = performance.now();
    const prepared = await prepareRelease({
      outputs,
      patches,
      repository: "example/livepatches",
      now,
      signer,
    });
    await writeMirror(dir, prepared.files);
    times.push(performance.now() - t0);
    files = prepared.files.length;
    rmSync(dir, { recursive: true, force: true });
  }
  times.sort((a, b) => a - b);
  results.publish100Targets_ed25519 = {
    files,
    moduleBytes: MODULE_SIZE,
    runs,
    medianMs: round(times[runs >> 1]),
    minMs: round(times[0]),
    maxMs: round(times[runs - 1]),
  };
}

const out = {
  date: new Date().toISOString(),
  machine: {
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()} ${arch()}`,
    node: process.version,
  },
  ...results,
};
writeFileSync(
  new URL("./results/publish.json", import.meta.url),
  JSON.stringify(out, null, 2) + "\n",
);
process.stdout.write(JSON.stringify(out, null, 2) + "\n");
