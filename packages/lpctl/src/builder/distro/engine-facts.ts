/**
 * The per-object engine's one input that depends on how the kernel was
 * prepared. Everything else it reads the same way from any prepared entry:
 * the configured tree, `pristine/vmlinux` (symbols, FILE symbols kept),
 * `pristine/Module.symvers` and the make environment. A Debian binary kernel
 * recorded its facts at prepare from Debian's packages (`distro.json`); a
 * lab kernel this project compiled has them in its own build, read here:
 * the struct sizes from its vmlinux's DWARF, the vermagic of a module built
 * with it, the compiler from its .config. So the engine runs on the lab
 * target too, where kpatch-build is the reference to compare it with.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { LpctlError } from "../../core/errors.js";
import type { PreparedKernel } from "../kernel/prepare.js";
import type { Runner } from "../runtime/runner.js";
import { readDistroFacts, type DistroFacts } from "./distro-entry.js";
import { distroConfigFacts, findBanner } from "./kernel-config-checks.js";
import { specialSectionEnv } from "./kernel-files.js";

/** `distro.json` of a distribution kernel; read from the build for a kernel compiled here. */
export async function objectEngineFacts(
  runner: Runner,
  prepared: PreparedKernel,
  builtHere: boolean,
): Promise<DistroFacts> {
  if (!builtHere) {
    const facts = await readDistroFacts(prepared.pristine);
    if (facts === undefined) {
      throw new LpctlError(
        "KERNEL_BUILD_FAILED",
        `${prepared.dir} has no distro.json; remove it and prepare again`,
      );
    }
    return facts;
  }
  return builtKernelFacts(runner, prepared);
}

async function builtKernelFacts(runner: Runner, prepared: PreparedKernel): Promise<DistroFacts> {
  const broken = (why: string) =>
    new LpctlError("KERNEL_BUILD_FAILED", `${prepared.dir} ${why}; remove it and prepare again`, {
      details: { entry: prepared.dir },
    });
  const vmlinux = join(prepared.pristine, "vmlinux");
  const config = distroConfigFacts(
    await readFile(join(prepared.pristine, ".config"), "utf8"),
    `${prepared.dir}/pristine/.config`,
  );
  // kbuild lists the modules it built; any of them carries the tree's vermagic.
  const order = await readFile(join(prepared.tree, "modules.order"), "utf8").catch(() => "");
  const ko = order.split("\n").find((l) => l.endsWith(".ko"));
  if (ko === undefined) {
    // Not a damaged entry: the target's config builds no module at all.
    throw new LpctlError(
      "KERNEL_BUILD_FAILED",
      `${prepared.target}'s kernel was built without any module (empty modules.order), so the vermagic ` +
        `its modules get is unknown to the per-object engine; build with --engine kpatch-build, or set one ` +
        `tristate option to =m in the target's config`,
      { details: { entry: prepared.dir } },
    );
  }
  const m = await runner.run("modinfo", ["-F", "vermagic", join(prepared.tree, ko)]);
  if (m.exitCode !== 0 || m.stdout.trim() === "") throw broken(`has no readable ${ko}`);
  const banner = findBanner(await readFile(vmlinux));
  if (banner === undefined) throw broken("has a vmlinux without a 'Linux version' banner");
  return {
    specialEnv: await specialSectionEnv(runner, vmlinux, config.values),
    vermagic: m.stdout.trim(),
    banner,
    compiler: config.compiler,
    cc: config.cc,
  };
}
