/** A successful build report for a target, as `lpctl build` writes it. */
import { createHash } from "node:crypto";
import type { BuildReport } from "@livepatch-gitops/lpctl/core/build-report";

export function moduleBytes(target: string, size = 4096): Uint8Array {
  const bytes = new Uint8Array(size);
  const seed = createHash("sha256").update(target).digest();
  for (let i = 0; i < size; i++) bytes[i] = (seed[i % 32] ?? 0) ^ (i & 0xff);
  return bytes;
}

export function fakeReport(target: string, patchIds: string[] = ["p1"], size = 4096): BuildReport {
  const bytes = moduleBytes(target, size);
  const file = `livepatch-${target}.ko`;
  return {
    schema: 1,
    target,
    release: `6.1.0-${target}`,
    arch: "x86_64",
    buildId: createHash("sha1").update(target).digest("hex"),
    result: "success",
    module: {
      file,
      name: file.replace(/\.ko$/, "").replace(/[-.]/g, "_"),
      sha256: createHash("sha256").update(bytes).digest("hex"),
      length: bytes.length,
      vermagic: `6.1.0-${target} SMP preempt mod_unload`,
    },
    patches: patchIds.map((id) => ({ id, sha256: createHash("sha256").update(id).digest("hex") })),
    changes: [{ object: "vmlinux", kind: "changed", function: "cmdline_proc_show" }],
    patchedObjects: ["vmlinux"],
    warnings: [],
    toolchain: {
      compiler: "gcc (Debian 12.2.0-14) 12.2.0",
      kpatchBuild: "0.9.7",
      mismatchAllowed: false,
    },
    timings: { "kpatch-build": 61.2 },
    startedAt: "2026-11-21T10:00:00Z",
    finishedAt: "2026-11-21T10:01:02Z",
  };
}

export const PATCHES = {
  p1: { title: "Fix one", cves: ["CVE-2026-0001"], pr: 4, commit: "abcdef1" },
  p2: { title: "Fix two", cves: [] },
};
