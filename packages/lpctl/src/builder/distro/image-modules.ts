/**
 * Debian's own modules for a VM booting Debian's vmlinuz: the cloud kernel
 * builds virtio_pci and virtio_net as modules, so a guest that needs the
 * network loads them (and what they depend on) from the target's image
 * package, the same pinned .deb the builder keeps in its cache by sha256.
 * The package ships no modules.dep (its postinst runs depmod); depmod over
 * the unpacked tree writes the one an installed system would have.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { distroPackages } from "../../core/distro-target.js";
import { LpctlError } from "../../core/errors.js";
import type { KernelTarget } from "../../core/target.js";
import { obtainDeb, resolveDebianSource } from "../source/debian-source.js";
import type { Runner } from "../runtime/runner.js";
import { debianDeps } from "../source/source.js";
import type { BootModule } from "../vm/boot-modules.js";
import { moduleLoadOrder, moduleNameOfPath } from "../vm/modules-dep.js";
import { extractMembers } from "./distro-debs.js";

/** What a guest needs for its virtio-net card (qemu's `-device virtio-net-pci`). */
export const NETWORK_MODULES = ["virtio_pci", "virtio_net"] as const;

/**
 * `names` and their dependencies from the image package of `target`,
 * unpacked under `dir` (the caller removes it once the initramfs is
 * packed), in load order.
 */
export async function imageModules(
  o: { runner: Runner; cacheDir: string; dir: string },
  target: KernelTarget,
  names: readonly string[],
): Promise<BootModule[]> {
  if (target.image === undefined || !("debian" in target.source)) {
    throw new LpctlError(
      "VM_INPUT_INVALID",
      `target ${target.id} is not a distribution kernel (no image: in its target.yaml); its modules come from its own build`,
    );
  }
  const pkgs = distroPackages(target.image, target.source.debian.package);
  const deps = debianDeps(o.runner, o.cacheDir);
  const deb = await obtainDeb(
    await resolveDebianSource({ package: pkgs.image, version: pkgs.version }, deps),
    deps,
  );
  const modules = join("lib", "modules", pkgs.release);
  await extractMembers(o.runner, deb, o.dir, [`./${modules}`]);
  const r = await o.runner.run("depmod", ["-b", o.dir, pkgs.release]);
  if (r.exitCode !== 0) {
    throw new LpctlError(
      "TOOL_FAILED",
      `depmod over ${pkgs.image} ${pkgs.version}'s modules failed (exit ${r.exitCode}): ${r.stderr.trim().slice(-300)}; install kmod`,
    );
  }
  const root = join(o.dir, modules);
  const order = moduleLoadOrder(
    await readFile(join(root, "modules.dep"), "utf8"),
    await readFile(join(root, "modules.builtin"), "utf8"),
    names,
    `${pkgs.image} ${pkgs.version}`,
  );
  return order.map((p) => ({ name: moduleNameOfPath(p), source: join(root, p) }));
}
