/** The patch-style fixtures (packages/lpctl/test/fixtures/builder/patches/style-*): real diffs of Linux 6.1, one per common style. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { PatchStyle } from "@livepatch-gitops/lpctl/core/lint/patch-style";

export const STYLE_DIR = join(import.meta.dirname, "../../lpctl/test/fixtures/builder/patches");

/** Patch directory, patch file, its style, the file it patches and the function it changes. */
export const STYLE_FIXTURES: [
  dir: string,
  file: string,
  style: PatchStyle,
  patched: string,
  fn: string,
][] = [
  ["style-git", "0001-version-check.patch", "git", "fs/proc/version.c", "version_proc_show"],
  [
    "style-diff-nupr",
    "0001-loadavg-rounding.patch",
    "diff",
    "fs/proc/loadavg.c",
    "loadavg_proc_show",
  ],
  ["style-quilt", "0001-uptime-check.patch", "quilt", "fs/proc/uptime.c", "uptime_proc_show"],
  [
    "style-other-prefix",
    "0001-cmdline-one-call.patch",
    "diff",
    "fs/proc/cmdline.c",
    "cmdline_proc_show",
  ],
];

/** A fixture as a repository entry at patches/<dir>/<file>. */
export function styleEntry(dir: string, file: string) {
  const text = readFileSync(join(STYLE_DIR, dir, file), "utf8");
  return { path: `patches/${dir}/${file}`, size: text.length, text };
}
