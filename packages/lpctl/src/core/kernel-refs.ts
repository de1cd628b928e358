/** Resolves a patch's `kernels` entries (exact ids or globs) against the known targets. */
import { isWithdrawn } from "./patch-meta.js";
import type { Problem } from "./problem.js";

/** Globs may use `*` and `?` over id characters; nothing else. */
const GLOB_RE = /^[a-z0-9._*?-]+$/;

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.]/g, "\\.").replace(/\*/g, "[^]*").replace(/\?/g, "[^]");
  return new RegExp(`^${body}$`);
}

/**
 * Target ids the entries name, sorted, and a problem for every entry that
 * resolves to nothing: a glob matching no target is as likely a typo as an
 * unknown id, and would silently leave the patch unbuilt.
 */
export function resolveKernelRefs(
  file: string,
  refs: readonly string[],
  known: readonly string[],
): { targets: string[]; problems: Problem[] } {
  const targets = new Set<string>();
  const problems: Problem[] = [];
  const knownText = known.length > 0 ? known.join(", ") : "none";
  const firstIndex = new Map<string, number>();
  refs.forEach((ref, i) => {
    const path = `kernels[${i}]`;
    const earlier = firstIndex.get(ref);
    if (earlier !== undefined) {
      problems.push({
        file,
        path,
        code: "ID_DUPLICATE",
        message: `'${ref}' is listed twice (also kernels[${earlier}])`,
      });
      return;
    }
    firstIndex.set(ref, i);
    const isGlob = /[*?]/.test(ref);
    if (!GLOB_RE.test(ref)) {
      problems.push({
        file,
        path,
        code: "ID_INVALID",
        message: `'${ref}' is neither a target id nor a glob of [a-z0-9._-] with * and ?`,
      });
      return;
    }
    const matches = isGlob
      ? known.filter((id) => globToRegExp(ref).test(id))
      : known.filter((id) => id === ref);
    if (matches.length === 0) {
      const what = isGlob ? `glob '${ref}' matches no kernel target` : `no kernel target '${ref}'`;
      problems.push({
        file,
        path,
        code: "KERNEL_UNKNOWN",
        message: `${what} (known: ${knownText})`,
      });
    }
    for (const id of matches) targets.add(id);
  });
  return { targets: [...targets].sort(), problems };
}

/**
 * The targets a checked patch.yaml resolves to: none for a withdrawn patch
 * (its `kernels` stay as history and are not resolved).
 */
export function patchTargets(
  file: string,
  meta: { kernels: readonly string[] } & object,
  known: readonly string[],
): { targets: string[]; problems: Problem[] } {
  return isWithdrawn(meta)
    ? { targets: [], problems: [] }
    : resolveKernelRefs(file, meta.kernels, known);
}
