/** Facts about a built module for the report: digest, size, vermagic. */
import { readFile } from "node:fs/promises";
import { createHash } from "node:crypto";
import { LpctlError } from "../../core/errors.js";
import type { Runner } from "../runtime/runner.js";

export interface ModuleInfo {
  sha256: string;
  length: number;
  vermagic: string;
  livepatch: boolean;
}

/** `modinfo -F field` (kmod) for one field. */
async function modinfoField(runner: Runner, ko: string, field: string): Promise<string> {
  const r = await runner.run("modinfo", ["-F", field, ko]);
  if (r.exitCode !== 0) {
    throw new LpctlError("KPATCH_BUILD_FAILED", `modinfo ${ko} failed: ${r.stderr.trim()}`);
  }
  return r.stdout.trim();
}

export async function moduleInfo(runner: Runner, ko: string): Promise<ModuleInfo> {
  const bytes = await readFile(ko);
  return {
    sha256: createHash("sha256").update(bytes).digest("hex"),
    length: bytes.length,
    vermagic: await modinfoField(runner, ko, "vermagic"),
    livepatch: (await modinfoField(runner, ko, "livepatch")) === "Y",
  };
}

/** sha256 over a patch's files, concatenated in apply order. */
export function patchDigest(files: readonly { text: string }[]): string {
  const h = createHash("sha256");
  for (const f of files) h.update(f.text);
  return h.digest("hex");
}

/**
 * Drops the DWARF sections from a built module, in place. Hosts never need
 * them (a crash analyst rebuilds the module from its commit), they are ~97%
 * of its size, and they carry the absolute paths of kpatch-build's work
 * directory: without them the module's bytes depend only on its inputs, so
 * anyone can rebuild a release's module and compare sha256.
 */
export async function stripDebug(runner: Runner, ko: string): Promise<void> {
  const r = await runner.run("strip", ["--strip-debug", ko]);
  if (r.exitCode !== 0) {
    throw new LpctlError(
      "KPATCH_BUILD_FAILED",
      `strip --strip-debug ${ko} failed: ${r.stderr.trim()}`,
    );
  }
}
