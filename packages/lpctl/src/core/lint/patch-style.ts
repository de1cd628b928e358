/**
 * Which of the common diff styles a patch is written in. Every one of them
 * applies the same way with `patch -p1`, so a style is a house rule, never a
 * reason to refuse: a repository may ask for one (`patchStyle` in
 * `.github/livepatch.yml`) and the lint then warns on the others.
 */
import type { DiffFile } from "../diff.js";
import type { Finding } from "./finding.js";
import { withDocLink } from "./problem-finding.js";

export const PATCH_STYLES = ["git", "diff", "quilt"] as const;
export type PatchStyle = (typeof PATCH_STYLES)[number];

const DESCRIBED: Record<PatchStyle, string> = {
  git: "git (a/PATH and b/PATH, as git diff and git format-patch write them)",
  diff: "diff (another first directory on both sides, as diff -Nupr src.orig/ src/ writes it)",
  quilt: "quilt (an Index: line before each file, as quilt refresh writes it)",
};

/** The style of a parsed patch: quilt if it has `Index:` lines, git if every side is a/ or b/, else diff. */
export function patchStyleOf(text: string, files: readonly DiffFile[]): PatchStyle {
  if (/^Index: /m.test(text)) return "quilt";
  const git = files.every((f) => {
    const [oldRaw, newRaw] = f.rawPaths ?? [];
    return (
      (oldRaw === "/dev/null" || oldRaw?.startsWith("a/") === true) &&
      (newRaw === "/dev/null" || newRaw?.startsWith("b/") === true)
    );
  });
  return git ? "git" : "diff";
}

/** A warning when the repository asks for `wanted` and the patch is written in another style. */
export function patchStyleFinding(
  patch: string,
  text: string,
  files: readonly DiffFile[],
  wanted: PatchStyle | undefined,
): Finding | undefined {
  if (wanted === undefined) return undefined;
  const style = patchStyleOf(text, files);
  if (style === wanted) return undefined;
  const line = files[0]?.headerLine ?? 1;
  return {
    patch,
    file: patch,
    startLine: line,
    endLine: line,
    severity: "warning",
    rule: "patch-file",
    message: withDocLink(
      `written in the ${DESCRIBED[style]} style; this repository asks for ${DESCRIBED[wanted]} (patchStyle in .github/livepatch.yml). It applies the same way with patch -p1; rewrite it only to keep the repository uniform`,
      "patch-file",
    ),
  };
}
