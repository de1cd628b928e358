/**
 * Which objects a patch series changes, read from kbuild (the Makefiles and
 * the target's .config, as the lint reads them): the per-object engine
 * compiles exactly these, before and after. What it cannot build is refused
 * here, before any compiling, with the cause and the way out.
 */
import { parseDiff } from "../../core/diff.js";
import { LpctlError } from "../../core/errors.js";
import { configValues } from "../../core/lint/kbuild.js";
import { objectOf } from "../lint-source.js";
import type { SourceTree } from "../source-tree.js";

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
      if (!d.path.endsWith(".c")) {
        throw refuse(
          `target ${targetId} is built per changed object, and which of the kernel's objects include a header ` +
            `is only known from a full build's dependency files, so header changes are refused for now. ` +
            `Way out: make the change in the .c files whose functions need it (a static inline helper copied into them), ` +
            `or build for a target this project compiles itself`,
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
