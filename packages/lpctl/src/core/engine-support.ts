/**
 * What this project's engines (kpatch-build and the per-object engine, both
 * built on kpatch's tools) cannot live patch, read from a kernel's config,
 * and the one sentence the build, `lpctl plan` and the PR comment use to
 * say so. Pure.
 */

export interface Unpatchable {
  /** The config option that decides it. */
  option: string;
  why: string;
  /** What would make this kernel patchable. */
  help: string;
}

/** klp-build diffs post-link vmlinux.o, so IBT (and LTO) kernels are within its reach. */
export const KLP_BUILD_HELP =
  "an engine built on upstream's klp-build (Linux 6.19 and later), which diffs post-link vmlinux.o";

/** The reason no kpatch-based engine can patch a kernel with these config values, if any. */
export function unpatchableReason(values: ReadonlyMap<string, string>): Unpatchable | undefined {
  // kpatch refuses IBT kernels (dynup/kpatch PR 1411): objtool rewrites
  // vmlinux.o's endbr64 sites, so per-object diffs no longer match the kernel.
  if (values.get("CONFIG_X86_KERNEL_IBT") === "y") {
    return {
      option: "CONFIG_X86_KERNEL_IBT",
      why: "CONFIG_X86_KERNEL_IBT=y (indirect branch tracking), which kpatch refuses",
      help: KLP_BUILD_HELP,
    };
  }
  for (const [option, why] of [
    ["CONFIG_LIVEPATCH", "the kernel has no livepatch support"],
    ["CONFIG_MODULES", "the kernel cannot load modules"],
  ] as const) {
    if (values.get(option) !== "y") {
      return {
        option,
        why: `${option} is not set: ${why}`,
        help: `a kernel built with ${option}=y`,
      };
    }
  }
  return undefined;
}

/** The verdict line for a target no engine here can patch. */
export function cannotPatchLine(u: Pick<Unpatchable, "why" | "help">): string {
  return `cannot be live patched by this engine: ${u.why}; what would help: ${u.help}`;
}

/** How a build report's refusal reads in the PR comment, by error code; undefined for other failures. */
export function refusalLabel(code: string): string | undefined {
  if (code === "KERNEL_UNPATCHABLE") return "cannot be live patched by this engine";
  if (code === "PATCH_OBJECT_UNSUPPORTED" || code === "HEADER_CHANGE_TOO_WIDE")
    return "patch cannot apply to this target";
  return undefined;
}

/**
 * What target.yaml alone says about a Debian binary kernel: not whether
 * Debian built it with IBT (only its config says that), but who decides,
 * and how soon. Undefined for a target built here.
 */
export function imageTargetNote(t: {
  image?: { debian: { package: string; version: string } } | undefined;
}): string | undefined {
  if (t.image === undefined) return undefined;
  const { package: pkg, version } = t.image.debian;
  return (
    `Debian binary kernel ${pkg} ${version}: not checked yet, its config is not at hand here; ` +
    `the build checks it first and refuses within seconds if this engine cannot patch it`
  );
}
