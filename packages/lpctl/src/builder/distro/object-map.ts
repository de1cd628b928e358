/**
 * Which objects a patch series changes, read from kbuild (the Makefiles and
 * the target's .config, as the lint reads them): the per-object engine
 * compiles exactly these, before and after. What it cannot build is refused
 * here, before any compiling, with the cause and the way out.
 */
import { parseDiff } from "../../core/diff.js";
import { LpctlError } from "../../core/errors.js";
import { configValues } from "../../core/lint/kbuild.js";
import { objectOf } from "../lint/lint-source.js";
import type { SourceTree } from "../lint/source-tree.js";
import { headerReach } from "./header-objects.js";

/**
 * The most objects a header change may reach in vmlinux. Each is compiled
 * twice (~6 s on a warm 2-core runner, SECONDS_PER_OBJECT), so 50 is about
 * five minutes, the budget of a whole cold build; a reviewer must also read
 * every function the change touches in all of them. Above it, a header
 * change is a kernel update, not a live patch.
 */
export const MAX_HEADER_OBJECTS = 50;

/** fs/proc/uptime.o compiled in 2.7 s on a prepared tree (distro-kernels.md): before + after, rounded up. */
export const SECONDS_PER_OBJECT = 6;

export interface PatchFile {
  /** The patch's id, for messages. */
  patch: string;
  text: string;
}

/** `fs/proc/cmdline.o` for each changed `.c` (a unity build's host file's object), sorted, unique. */
export async function changedObjects(
  tree: SourceTree,
  files: readonly PatchFile[],
  targetId: string,
  say: (line: string) => void = () => {},
): Promise<string[]> {
  const dotConfig = await tree.read(".config");
  if (dotConfig === undefined) {
    throw new LpctlError("KERNEL_BUILD_FAILED", "the prepared tree has no .config");
  }
  const config = configValues(dotConfig);
  const objects = new Set<string>();
  for (const f of files) {
    for (const d of parseDiff(f.text)) {
      const refuse = (why: string, details: Record<string, unknown> = {}): LpctlError =>
        new LpctlError("PATCH_OBJECT_UNSUPPORTED", `patch ${f.patch} changes ${d.path}: ${why}`, {
          details: { patch: f.patch, file: d.path, target: targetId, ...details },
        });
      if (d.oldPath === undefined || d.newPath === undefined) {
        throw refuse("adding or removing a file is not a live patch; change existing functions");
      }
      if (d.path.endsWith(".h")) {
        for (const o of await headerObjects(tree, d.path, config, {
          patch: f.patch,
          targetId,
          say,
        }))
          objects.add(o);
        continue;
      }
      if (!d.path.endsWith(".c")) {
        throw refuse(
          `the per-object engine compiles C files: a change to a ${d.path.replace(/^.*\./, ".")} file is not supported; ` +
            `build for a target this project compiles itself (kpatch-build)`,
        );
      }
      const { home, source } = await objectOf(tree, d.path, config);
      if (home === "not-built") {
        throw refuse(
          `target ${targetId}'s config does not build it (its Makefile's obj- line needs an option that is off), ` +
            `so no host running this kernel has that code; drop ${targetId} from the patch's kernels:`,
          { home },
        );
      }
      if (home === "module") {
        throw refuse(
          `target ${targetId} builds it into a module (.ko); the per-object engine patches code built into vmlinux only ` +
            `(a module patch needs the module's own symbols from the -dbg package, not supported yet). ` +
            `Drop ${targetId} from the patch's kernels:, or patch a function built into vmlinux`,
          { home },
        );
      }
      if (home !== "vmlinux") {
        throw refuse(`kbuild does not say which object it belongs to (no Makefile names it)`, {
          home,
        });
      }
      objects.add(source.replace(/\.c$/, ".o"));
    }
  }
  return [...objects].sort();
}

interface HeaderCtx {
  patch: string;
  targetId: string;
  say: (line: string) => void;
}

/** The vmlinux objects a changed header reaches, or HEADER_CHANGE_TOO_WIDE / PATCH_OBJECT_UNSUPPORTED. */
async function headerObjects(
  tree: SourceTree,
  header: string,
  config: ReadonlyMap<string, string>,
  c: HeaderCtx,
): Promise<string[]> {
  const started = Date.now();
  const reach = await headerReach(tree, header);
  const vmlinux = new Set<string>();
  const modules = new Set<string>();
  for (const file of reach.cFiles) {
    const { home, source } = await objectOf(tree, file, config);
    const obj = source.replace(/\.c$/, ".o");
    if (home === "vmlinux") vmlinux.add(obj);
    else if (home === "module") modules.add(obj);
  }
  const objs = [...vmlinux].sort();
  const cost = objs.length * SECONDS_PER_OBJECT;
  c.say(
    `${header}: included (directly or through ${reach.headers - 1} other headers, ${reach.passes} grep passes, ` +
      `${((Date.now() - started) / 1000).toFixed(1)} s) by ${reach.cFiles.length} .c files: ` +
      `${objs.length} objects ${c.targetId} builds into vmlinux, ${modules.size} into modules; ` +
      `compiling them before and after costs about ${cost} s`,
  );
  const details = {
    patch: c.patch,
    file: header,
    target: c.targetId,
    objects: objs.length,
    moduleObjects: modules.size,
    estimatedSeconds: cost,
  };
  const wayOut =
    `Way out: patch the functions that need the change instead of the header (a static inline helper copied into ` +
    `their .c files), or build for a target this project compiles itself (kpatch-build's full build finds every includer)`;
  if (objs.length > MAX_HEADER_OBJECTS) {
    throw new LpctlError(
      "HEADER_CHANGE_TOO_WIDE",
      `patch ${c.patch} changes ${header}, which reaches ${objs.length} objects ${c.targetId} builds into vmlinux ` +
        `(more than ${MAX_HEADER_OBJECTS}; about ${cost} s of compiling before any diff), among them ` +
        `${objs.slice(0, 8).join(", ")}${objs.length > 8 ? ", …" : ""}. ${wayOut}`,
      { details: { ...details, sample: objs.slice(0, 20) } },
    );
  }
  if (modules.size > 0) {
    throw new LpctlError(
      "PATCH_OBJECT_UNSUPPORTED",
      `patch ${c.patch} changes ${header}, which ${modules.size} objects ${c.targetId} builds into modules include ` +
        `(${[...modules].sort().slice(0, 5).join(", ")}${modules.size > 5 ? ", …" : ""}); the per-object engine patches vmlinux only, ` +
        `so those modules would keep the old code. ${wayOut}`,
      { details: { ...details, sample: [...modules].sort().slice(0, 20) } },
    );
  }
  if (objs.length === 0) {
    throw new LpctlError(
      "PATCH_OBJECT_UNSUPPORTED",
      `patch ${c.patch} changes ${header}, which no object ${c.targetId} builds includes: no host running this kernel has that code; ` +
        `drop ${c.targetId} from the patch's kernels:`,
      { details },
    );
  }
  return objs;
}
