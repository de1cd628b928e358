/**
 * What the kpatch-build in use does that the lint's verdicts depend on, read
 * from its script. Upstream kpatch-build passes `--klp-arch` to
 * create-diff-object only for kernels older than 5.8 (use_klp_arch); with it,
 * create-diff-object refuses every jump label in patched code ("Jump labels
 * aren't supported with this kernel"). Debian's package (0.9.9-5 and later,
 * d/patches/remove_cdo_flag_from_script_not_used.patch) passes `--klp-arch`
 * on every call, so on Debian's kpatch-build no jump label is supported,
 * whatever the kernel.
 */
import { readFile } from "node:fs/promises";
import type { KpatchTraits } from "../../core/lint/source-facts.js";

/** True when a create-diff-object call in the script passes a literal --klp-arch. */
export function forcesKlpArch(script: string): boolean {
  const calls = script
    .replace(/\\\n/g, " ")
    .split("\n")
    .filter((l) => /\/create-diff-object"?\s/.test(l) && !l.trim().startsWith("#"));
  return calls.some((l) => /\s--klp-arch(\s|$)/.test(l));
}

/** The traits of the kpatch-build script at `path`, or undefined when it cannot be read. */
export async function readKpatchTraits(path: string): Promise<KpatchTraits | undefined> {
  const script = await readFile(path, "utf8").catch(() => undefined);
  return script === undefined ? undefined : { path, forcesKlpArch: forcesKlpArch(script) };
}
