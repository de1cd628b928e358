/**
 * What registering a Debian kernel needs from its image package, read from
 * the .deb without installing it: the release (its `/boot/vmlinuz-<release>`),
 * Debian's config (`/boot/config-<release>`: the compiler, and whether this
 * engine can patch the kernel at all), the build-id of the vmlinux inside
 * the vmlinuz, and the package's one-line summary.
 */
import { readFile, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { DistroPackages } from "../../core/distro-target.js";
import { LpctlError } from "../../core/errors.js";
import type { Runner } from "../runtime/runner.js";
import { extractMembers } from "./distro-debs.js";
import { distroConfigFacts } from "./kernel-config-checks.js";
import { imageIdentity } from "./vmlinuz.js";

export interface ImageFacts {
  release: string;
  buildId: string;
  /** CONFIG_CC_VERSION_TEXT. */
  compiler: string;
  /** The first line of the package's Description. */
  summary: string;
}

/** Facts of `deb`, the image package `pkgs` names; `scratch` is created and removed. */
export async function readImageFacts(
  runner: Runner,
  deb: string,
  pkgs: DistroPackages,
  scratch: string,
): Promise<ImageFacts> {
  const what = `${pkgs.image} ${pkgs.version}`;
  try {
    // Only ./boot: the 100 MB of modules are not needed to register the kernel.
    await extractMembers(runner, deb, scratch, ["./boot"]);
    const boot = join(scratch, "boot");
    const kernels = (await readdir(boot)).filter((n) => n.startsWith("vmlinuz-"));
    const release = kernels.length === 1 ? kernels[0]?.slice("vmlinuz-".length) : undefined;
    if (release !== pkgs.release) {
      throw new LpctlError(
        "SOURCE_UNAVAILABLE",
        `${what} should hold /boot/vmlinuz-${pkgs.release} (its name says release ${pkgs.release}), ` +
          `but holds ${kernels.map((k) => `/boot/${k}`).join(", ") || "no /boot/vmlinuz-*"}: it is not a Debian kernel image package`,
      );
    }
    const configText = await readFile(join(boot, `config-${release}`), "utf8").catch(
      (e: unknown) => {
        throw new LpctlError("SOURCE_UNAVAILABLE", `${what} has no /boot/config-${release}`, {
          cause: e,
        });
      },
    );
    // Refuses IBT kernels (and kernels without livepatch) before anything is written.
    const config = distroConfigFacts(configText, what);
    const id = await imageIdentity(runner, join(boot, `vmlinuz-${release}`), config, scratch);
    const r = await runner.run("dpkg-deb", ["-f", deb, "Description"]);
    const summary = r.exitCode === 0 ? (r.stdout.split("\n")[0]?.trim() ?? "") : "";
    return { release, buildId: id.buildId, compiler: config.compiler, summary };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
