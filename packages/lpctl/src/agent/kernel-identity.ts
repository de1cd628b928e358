import { readFile } from "node:fs/promises";
import os from "node:os";
import { LpctlError } from "../core/errors.js";
import type { HostRoot } from "./host-root.js";
import { gnuBuildId } from "../core/elf-notes.js";

export interface KernelIdentity {
  /** `uname -r`. */
  release: string;
  /** GNU build-id of the running vmlinux, lowercase hex. */
  buildId: string;
  arch: string;
}

async function readHostFile(root: HostRoot, abs: string): Promise<Buffer> {
  try {
    return await readFile(root.resolve(abs));
  } catch (e) {
    throw new LpctlError("KERNEL_IDENTITY", `cannot read ${abs}: ${(e as Error).message}`, {
      cause: e,
    });
  }
}

/** Reads release and build-id of the running kernel under `root`. */
export async function readKernelIdentity(
  root: HostRoot,
  arch: string = os.machine(),
): Promise<KernelIdentity> {
  const release = (await readHostFile(root, "/proc/sys/kernel/osrelease")).toString("utf8").trim();
  if (release === "") {
    throw new LpctlError("KERNEL_IDENTITY", "/proc/sys/kernel/osrelease is empty");
  }
  const buildId = gnuBuildId(await readHostFile(root, "/sys/kernel/notes"));
  return { release, buildId, arch };
}
