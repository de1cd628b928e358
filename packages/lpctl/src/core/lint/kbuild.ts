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
  let best: KeyHome = "not-built";
  for (const [variable, items] of kbuildLists(makefile, config)) {
    if (!items.includes(object)) continue;
    const [owner, v] = [variable.slice(0, variable.lastIndexOf("-")), variable.slice(-1)];
    let home: KeyHome;
    if (owner === "obj") home = v === "y" ? "vmlinux" : "module";
    else if (depth > 2) home = "unknown";
    else home = objectHome(`${owner}.o`, makefile, config, depth + 1);
    if (home === "vmlinux") return home;
    if (home === "module" || (home === "unknown" && best === "not-built")) best = home;
  }
  return best;
}

/**
 * The `<owner>-y` and `<owner>-m` lists after every line, in order: `:=`
 * and `=` replace a list, `+=` appends (fs/proc has `proc-y := nommu.o
 * task_nommu.o` replaced by `proc-$(CONFIG_MMU) := task_mmu.o`).
 * `<owner>-objs` counts as `-y`.
 */
function kbuildLists(makefile: string, config: ReadonlyMap<string, string>): Map<string, string[]> {
  const lists = new Map<string, string[]>();
  for (const line of logicalLines(makefile)) {
    const m = /^\s*([\w-]+?)-(y|m|objs|\$\(CONFIG_\w+\))\s*([:+]?=)\s*(.*)$/.exec(line);
    if (!m) continue;
    const [, owner, cond, op, rest] = m;
    const v = cond === "objs" ? "y" : valueOf(cond, config);
    if (v !== "y" && v !== "m") continue;
    const key = `${owner}-${v}`;
    const items = rest.split(/\s+/).filter(Boolean);
    lists.set(key, op === "+=" ? [...(lists.get(key) ?? []), ...items] : items);
  }
  return lists;
}

/**
 * How a parent Makefile descends into subdirectory `sub` ("events/"):
 * `obj-y += events/` (vmlinux), `obj-$(CONFIG_X) += events/` per the config.
 * A parent that does not name it (the top level and arch Makefiles use
 * `core-y` and the like) says nothing: "unknown".
 */
export function dirHome(
  sub: string,
  makefile: string,
  config: ReadonlyMap<string, string>,
): KeyHome {
  let found = false;
  let best: KeyHome = "not-built";
  for (const line of logicalLines(makefile)) {
    const m = /^\s*(obj|subdir)-(y|m|\$\(CONFIG_\w+\))\s*[:+]?=\s*(.*)$/.exec(line);
    if (!m || !m[3].split(/\s+/).includes(sub)) continue;
    found = true;
    const v = valueOf(m[2], config);
    if (v === "y") return "vmlinux";
    if (v === "m") best = "module";
  }
  return found ? best : "unknown";
}

// The flags that give every function its fentry call (CC_FLAGS_FTRACE is "-pg -mfentry …").
const FTRACE_FLAGS = /(^|\s)(-pg|\$\(CC_FLAGS_FTRACE\))(\s|$)/;

/**
 * The Makefile line that builds `object` without fentry calls, if any:
 * `CFLAGS_REMOVE_tsc.o = -pg`, or `ccflags-remove-$(CONFIG_X) += $(CC_FLAGS_FTRACE)`
 * for the whole directory. kpatch-build cannot patch such functions.
 */
export function untracedBy(
  object: string,
  makefile: string,
  config: ReadonlyMap<string, string>,
): string | undefined {
  const own = `CFLAGS_REMOVE_${object}`;
  for (const line of logicalLines(makefile)) {
    const m =
      /^\s*(CFLAGS_REMOVE_[\w.-]+|ccflags-remove-(y|\$\(CONFIG_\w+\)))\s*[:+]?=\s*(.*)$/.exec(line);
    if (!m || !FTRACE_FLAGS.test(m[3])) continue;
    if (m[1] === own) return line.trim();
    if (m[2] !== undefined && valueOf(m[2], config) === "y") return line.trim();
  }
  return undefined;
}
