/**
 * Which of a kernel's loadable modules a guest must insmod, and in what
 * order, read from depmod's `modules.dep` (busybox insmod resolves nothing
 * itself). Pure: the files' text in, paths out.
 */
import { LpctlError } from "../../core/errors.js";

/** A module's name as the kernel knows it: the file's base name, `-` read as `_`. */
export const moduleNameOfPath = (path: string): string =>
  (path.split("/").pop() ?? path).replace(/\.ko(\.\w+)?$/, "").replace(/-/g, "_");

/** `modules.dep`: each module path → the paths it needs, as depmod listed them. */
export function parseModulesDep(text: string): Map<string, string[]> {
  const deps = new Map<string, string[]>();
  for (const line of text.split("\n")) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const needs = line.slice(colon + 1).trim();
    deps.set(line.slice(0, colon).trim(), needs === "" ? [] : needs.split(/\s+/));
  }
  return deps;
}

/**
 * The module paths to load for `names`, dependencies first (the reverse of
 * depmod's list, as modprobe loads them), each once. A name built into the
 * kernel (`modules.builtin`) needs nothing; a name that is neither is an
 * error naming the kernel, since the guest would come up without it.
 */
export function moduleLoadOrder(
  modulesDep: string,
  modulesBuiltin: string,
  names: readonly string[],
  kernel: string,
): string[] {
  const deps = parseModulesDep(modulesDep);
  const byName = new Map([...deps.keys()].map((p) => [moduleNameOfPath(p), p]));
  const builtin = new Set(
    modulesBuiltin
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map(moduleNameOfPath),
  );
  const order: string[] = [];
  const add = (path: string) => {
    if (!order.includes(path)) order.push(path);
  };
  for (const name of names) {
    const wanted = name.replace(/-/g, "_");
    const path = byName.get(wanted);
    if (path === undefined) {
      if (builtin.has(wanted)) continue;
      throw new LpctlError(
        "VM_INPUT_INVALID",
        `kernel ${kernel} has no module ${name}, loadable or built in (not in its modules.dep or modules.builtin); ` +
          `the VM needs it: use an image package whose config builds it (=m or =y)`,
        { details: { module: name, kernel } },
      );
    }
    for (const dep of [...(deps.get(path) ?? [])].reverse()) add(dep);
    add(path);
  }
  return order;
}
