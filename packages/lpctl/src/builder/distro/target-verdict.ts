/**
 * What can be said, cheaply, about whether this engine can patch a target:
 * from target.yaml and Debian's config when the cache already holds the
 * headers package (a few MB). Nothing is downloaded: `lpctl plan` must not
 * fetch 300 MB to print a line. The rule is the build's own
 * (core/engine-support.ts), so plan, PR comment and build agree.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { distroPackages } from "../../core/distro-target.js";
import { cannotPatchLine, imageTargetNote, unpatchableReason } from "../../core/engine-support.js";
import { configValues } from "../../core/lint/kbuild.js";
import type { KernelTarget } from "../../core/target.js";
import { cachedDeb } from "../source/debian-source.js";
import type { Runner } from "../runtime/runner.js";
import { extractMembers } from "./distro-debs.js";

export interface TargetVerdict {
  /** False only when the target is known to be unpatchable. */
  patchable: boolean;
  line: string;
}

/** The verdict for `target` from what the cache at `cacheDir` holds; undefined for targets built here. */
export async function cachedTargetVerdict(
  runner: Runner,
  cacheDir: string,
  target: KernelTarget,
): Promise<TargetVerdict | undefined> {
  if (target.image === undefined || !("debian" in target.source)) return undefined;
  const pkgs = distroPackages(target.image, target.source.debian.package);
  const what = `${pkgs.headers} ${pkgs.version}`;
  const deb = await cachedDeb(join(cacheDir, "debian"), pkgs.headers, pkgs.version);
  const note = imageTargetNote(target);
  if (deb === undefined || note === undefined) return { patchable: true, line: note ?? "" };
  const dir = await mkdtemp(join(tmpdir(), "lpctl-verdict-"));
  try {
    const member = `./usr/src/linux-headers-${pkgs.release}/.config`;
    await extractMembers(runner, deb, dir, [member]);
    const no = unpatchableReason(configValues(await readFile(join(dir, member), "utf8")));
    return no === undefined
      ? { patchable: true, line: `patchable by the per-object engine (config of ${what} checked)` }
      : { patchable: false, line: cannotPatchLine(no) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
