/**
 * Is a kernel source file built into vmlinux, as a module, or not at all?
 * Read from its directory's Makefile (`obj-y`, `obj-$(CONFIG_X)`, composite
 * `foo-y`/`foo-objs`) and the target's `.config`, the way kbuild decides.
 */
import type { KeyHome } from "./source-facts.js";

/** CONFIG_X values from .config text ("y", "m", or a string); unset options are absent. */
export function configValues(config: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of config.matchAll(/^(CONFIG_\w+)=(.*)$/gm)) out.set(m[1], m[2]);
  return out;
}

function valueOf(cond: string, config: ReadonlyMap<string, string>): string | undefined {
  if (cond === "y") return "y";
  if (cond === "m") return "m";
  const m = /^\$\((CONFIG_\w+)\)$/.exec(cond);
  return m ? config.get(m[1]) : undefined;
}

/** Joins backslash-continued Makefile lines. */
function logicalLines(makefile: string): string[] {
  return makefile.replace(/\\\n/g, " ").split("\n");
}

/**
 * How `object` (e.g. "cmdline.o") is built per the directory's Makefile:
 * follows one level of composite objects (`proc-y += cmdline.o` then
 * `obj-y += proc.o`).
 */
export function objectHome(
  object: string,
  makefile: string,
  config: ReadonlyMap<string, string>,
  depth = 0,
): KeyHome {
  const lines = logicalLines(makefile);
  let best: KeyHome = "not-built";
  for (const line of lines) {
    const m = /^\s*([\w-]+?)-(y|m|objs|\$\(CONFIG_\w+\))\s*[:+]?=\s*(.*)$/.exec(line);
    if (!m || !m[3].split(/\s+/).includes(object)) continue;
    const [, owner, cond] = m;
    const v = cond === "objs" ? "y" : valueOf(cond, config);
    if (v !== "y" && v !== "m") continue;
    let home: KeyHome;
    if (owner === "obj") home = v === "y" ? "vmlinux" : "module";
    else if (depth > 2) home = "unknown";
    else home = objectHome(`${owner}.o`, makefile, config, depth + 1);
    if (home === "vmlinux") return home;
    if (home === "module" || (home === "unknown" && best === "not-built")) best = home;
  }
  return best;
}
