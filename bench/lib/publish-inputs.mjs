/**
 * The publisher benchmarks' inputs: deterministic module bytes and build
 * reports with realistic patch metadata, as `lpctl build` writes them.
 */
import { createHash } from "node:crypto";

export const sha256 = (b) => createHash("sha256").update(b).digest("hex");

/** `size` deterministic bytes for `seed`. */
export function bytesFor(seed, size) {
  const out = new Uint8Array(size);
  const s = createHash("sha256").update(seed).digest();
  for (let i = 0; i < size; i++) out[i] = s[i % 32] ^ ((i * 131) & 0xff);
  return out;
}

/** A successful build report of `target` for `moduleBytes` in `file`, built with `patchIds`. */
export function benchReport(target, moduleBytes, patchIds, file = `livepatch-v1-${target}.ko`) {
  return {
    schema: 1,
    target,
    release: `6.1.0-${target}`,
    arch: "x86_64",
    buildId: createHash("sha1").update(target).digest("hex"),
    result: "success",
    module: {
      file,
      name: file.slice(0, -3).replace(/[-.]/g, "_"),
      sha256: sha256(moduleBytes),
      length: moduleBytes.length,
      vermagic: "6.1.0 SMP",
    },
    patches: patchIds.map((id) => ({ id, sha256: sha256(id) })),
    changes: [],
    patchedObjects: ["vmlinux"],
    warnings: [],
    toolchain: { compiler: "gcc 12.2.0", kpatchBuild: "0.9.7", mismatchAllowed: false },
    timings: {},
    startedAt: "2026-11-21T10:00:00Z",
    finishedAt: "2026-11-21T10:01:00Z",
  };
}
