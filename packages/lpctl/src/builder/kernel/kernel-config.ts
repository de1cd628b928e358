/**
 * Configuring the tree: base config, then the target's fragment through the
 * kernel's own scripts/config, then olddefconfig, then a check that every
 * requested option survived. Fails before the long build, not after it.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { LpctlError } from "../../core/errors.js";
import type { KernelTarget } from "../../core/target.js";
import { droppedOptions, scriptsConfigArgs } from "./config-fragment.js";
import { kernelMake } from "./kernel-make.js";
import type { Runner } from "../runtime/runner.js";

// Options a full .config records about the compiler that built it; they
// follow the runner's toolchain (pinned separately) and are not requests.
const TOOLCHAIN_DERIVED =
  /^CONFIG_(CC_|GCC_|CLANG_|LD_|AS_|AS_IS|LLD_|PAHOLE_|RUSTC|BINDGEN|TOOLS_SUPPORT)/;

export async function configureKernel(
  runner: Runner,
  tree: string,
  target: KernelTarget,
): Promise<void> {
  const config = target.config;
  if (config === undefined) {
    throw new LpctlError(
      "INTERNAL",
      `target ${target.id} has no config: a distro target is configured from its headers package`,
    );
  }
  const text = target.configText ?? "";
  let wanted: string;
  if ("file" in config) {
    await writeFile(join(tree, ".config"), text);
    wanted = text
      .split("\n")
      .filter((l) => !TOOLCHAIN_DERIVED.test(l.replace(/^# /, "")))
      .join("\n");
  } else {
    await kernelMake(runner, tree, [config.base]);
    const args = scriptsConfigArgs(text);
    if (args.length > 0) {
      const r = await runner.run(join(tree, "scripts", "config"), [
        "--file",
        join(tree, ".config"),
        ...args,
      ]);
      if (r.exitCode !== 0) {
        throw new LpctlError("KERNEL_BUILD_FAILED", `scripts/config failed: ${r.stderr.trim()}`);
      }
    }
    wanted = text;
  }
  await kernelMake(runner, tree, ["olddefconfig"]);
  const final = await readFile(join(tree, ".config"), "utf8");
  const dropped = droppedOptions(wanted, final);
  if (dropped.length > 0) {
    const list = dropped.map((d) => `${d.name} (wanted ${d.wanted}, got ${d.got})`);
    throw new LpctlError(
      "CONFIG_OPTION_DROPPED",
      `make olddefconfig dropped ${dropped.length} option(s) of target ${target.id}: ${list.join(", ")}; ` +
        `check the option names and enable their dependencies in the fragment`,
      { details: { dropped } },
    );
  }
}
