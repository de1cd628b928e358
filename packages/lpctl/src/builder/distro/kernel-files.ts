/**
 * Debian's built kernel, read out of its image and -dbg packages: the
 * vmlinuz hosts boot (and the VM test boots), its identity, the vermagic of
 * Debian's own modules, and the -dbg vmlinux reduced to what a per-object
 * build needs (symbols, FILE symbols included, and the special-section
 * struct sizes taken once from its DWARF). The 1.7 GB of DWARF is deleted.
 */
import { copyFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { LpctlError } from "../../core/errors.js";
import { readBuildId } from "../kernel/build-id.js";
import type { Runner } from "../runtime/runner.js";
import { extractAll, extractMembers, findFiles } from "./distro-debs.js";
import {
  parsePaholeSizes,
  specialEnv,
  specialStructs,
  type DistroConfigFacts,
} from "./kernel-config-checks.js";
import { imageIdentity, type ImageIdentity } from "./vmlinuz.js";

export interface ImageFacts extends ImageIdentity {
  vermagic: string;
}

/**
 * Copies the image's vmlinuz to `bzImageOut` and checks its identity: the
 * build-id the target pins, and the compiler its `/proc/version` names.
 */
export async function readImage(
  runner: Runner,
  o: {
    deb: string;
    scratch: string;
    release: string;
    bzImageOut: string;
    buildId: string;
    what: string;
  },
  config: DistroConfigFacts,
): Promise<ImageFacts> {
  await extractAll(runner, o.deb, o.scratch);
  try {
    const vmlinuz = join(o.scratch, "boot", `vmlinuz-${o.release}`);
    const id = await imageIdentity(runner, vmlinuz, config, o.scratch);
    if (id.buildId !== o.buildId) {
      throw new LpctlError(
        "KERNEL_BUILD_ID_MISMATCH",
        `${o.what}'s vmlinuz has build-id ${id.buildId}, but the target pins ${o.buildId}: ` +
          `the target must name the kernel its hosts run (their /sys/kernel/notes build-id); fix buildId or the image version in target.yaml`,
        { details: { image: id.buildId, target: o.buildId } },
      );
    }
    const [ko] = await findFiles(join(o.scratch, "lib", "modules"), (n) => /\.ko(\.\w+)?$/.test(n));
    if (ko === undefined) throw new LpctlError("SOURCE_UNAVAILABLE", `${o.what} ships no module`);
    const r = await runner.run("modinfo", [
      "-F",
      "vermagic",
      join(o.scratch, "lib", "modules", ko),
    ]);
    const vermagic = r.stdout.trim();
    if (r.exitCode !== 0 || vermagic === "") {
      throw new LpctlError("TOOL_FAILED", `modinfo of Debian's ${ko} failed: ${r.stderr.trim()}`);
    }
    await copyFile(vmlinuz, o.bzImageOut);
    return { ...id, vermagic };
  } finally {
    await rm(o.scratch, { recursive: true, force: true });
  }
}

/**
 * The -dbg vmlinux, checked against the image's build-id before anything
 * else is done with it. Returns its path; the caller reduces it.
 */
export async function extractDbgVmlinux(
  runner: Runner,
  o: { deb: string; scratch: string; release: string; buildId: string; what: string },
): Promise<string> {
  const member = `./usr/lib/debug/boot/vmlinux-${o.release}`;
  await extractMembers(runner, o.deb, o.scratch, [member]);
  const vmlinux = join(o.scratch, member);
  const id = await readBuildId(runner, vmlinux);
  if (id !== o.buildId) {
    throw new LpctlError(
      "KERNEL_BUILD_ID_MISMATCH",
      `${o.what}'s vmlinux has build-id ${id}, but the image's vmlinuz has ${o.buildId}: ` +
        `its symbols belong to another build, and a module built against them would patch the wrong addresses. ` +
        `The -dbg package must be the image's own (same package version); refetch it or fix the cache's debian/ record`,
      { details: { dbg: id, image: o.buildId } },
    );
  }
  return vmlinux;
}

/**
 * create-diff-object's special-section struct sizes, read with pahole from
 * the DWARF of a vmlinux (kpatch-build's find_special_section_data).
 */
export async function specialSectionEnv(
  runner: Runner,
  vmlinux: string,
  values: ReadonlyMap<string, string>,
): Promise<Record<string, string>> {
  const wanted = specialStructs(values);
  const p = await runner.run("pahole", ["-F", "dwarf", "-C", wanted.join(","), vmlinux]);
  if (p.exitCode !== 0 && p.stdout.trim() === "") {
    throw new LpctlError(
      "TOOL_FAILED",
      `pahole on ${vmlinux} failed: ${p.stderr.trim().slice(-300)}`,
    );
  }
  return specialEnv(parsePaholeSizes(p.stdout), wanted);
}

/** Struct sizes from the DWARF (pahole), then the symbol-only vmlinux and its System.map. */
export async function reduceVmlinux(
  runner: Runner,
  full: string,
  out: { vmlinux: string; systemMap: string },
  config: DistroConfigFacts,
): Promise<Record<string, string>> {
  const env = await specialSectionEnv(runner, full, config.values);
  // --keep-file-symbols: create-diff-object finds a file's local symbols by its FILE symbol.
  const s = await runner.run("strip", [
    "--strip-debug",
    "--keep-file-symbols",
    "-o",
    out.vmlinux,
    full,
  ]);
  if (s.exitCode !== 0)
    throw new LpctlError("TOOL_FAILED", `strip of ${full} failed: ${s.stderr.trim()}`);
  const nm = await runner.run("nm", ["-n", out.vmlinux]);
  if (nm.exitCode !== 0)
    throw new LpctlError("TOOL_FAILED", `nm ${out.vmlinux} failed: ${nm.stderr.trim()}`);
  await writeFile(out.systemMap, nm.stdout);
  return env;
}
