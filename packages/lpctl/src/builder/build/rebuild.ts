/**
 * `lpctl rebuild`: anyone can check a release against its commit. Each
 * module entry of a verified manifest names the commit it was built from;
 * that commit's kernels/ and patches/ are exported from a git checkout and
 * built again (same target, same patches, same module name), and the
 * module's sha256 must equal the manifest's.
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { LpctlError } from "../../core/errors.js";
import type { ModuleEntry } from "../../core/manifest.js";
import type { BuildOptions, BuildResult } from "./build.js";
import { moduleName } from "../module/livepatch-module-name.js";
import type { Runner } from "../runtime/runner.js";

export interface RebuildOptions {
  runner: Runner;
  /** A git checkout (or bare repository) that has the recorded commit. */
  gitDir: string;
  /** Where the commit is exported and the module rebuilt (removed afterwards). */
  scratchDir: string;
  build: (
    o: Pick<BuildOptions, "repoDir" | "targetId" | "patchIds" | "outDir" | "serial">,
  ) => Promise<BuildResult>;
}

export interface RebuildResult {
  target: string;
  commit: string;
  module: string;
  expected: string;
  actual: string;
  reproduced: boolean;
}

/** The serial a module name was built with: `lp_<target>_<serial>`. */
export function serialOf(target: string, name: string): string {
  const serial = name.slice(name.lastIndexOf("_") + 1);
  if (serial === "" || moduleName(target, serial) !== name) {
    throw new LpctlError(
      "MANIFEST_MALFORMED",
      `module name ${name} is not lp_<target>_<serial> for target ${target}; it was not built by lpctl build`,
    );
  }
  return serial;
}

export async function rebuildEntry(entry: ModuleEntry, o: RebuildOptions): Promise<RebuildResult> {
  const commit = entry.commit;
  if (!commit) {
    throw new LpctlError(
      "MANIFEST_MALFORMED",
      `the manifest entry for ${entry.target} records no commit: it predates provenance and cannot be rebuilt`,
    );
  }
  const serial = serialOf(entry.target, entry.module.name);
  await mkdir(o.scratchDir, { recursive: true });
  const work = await mkdtemp(join(o.scratchDir, "rebuild-"));
  try {
    const repoDir = join(work, "repo");
    await exportCommit(o.runner, o.gitDir, commit, repoDir, join(work, "src.tar"));
    const r = await o.build({
      repoDir,
      targetId: entry.target,
      patchIds: entry.patches.map((p) => p.id),
      outDir: join(work, "out"),
      serial,
    });
    const actual = r.report.module?.sha256 ?? "";
    return {
      target: entry.target,
      commit,
      module: entry.module.file,
      expected: entry.module.sha256,
      actual,
      reproduced: actual === entry.module.sha256 && r.report.buildId === entry.buildId,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** kernels/ and patches/ of `commit`, exactly as committed (git archive, no checkout state). */
async function exportCommit(
  runner: Runner,
  gitDir: string,
  commit: string,
  into: string,
  tarball: string,
): Promise<void> {
  const a = await runner.run("git", [
    "-C",
    gitDir,
    "archive",
    "--format=tar",
    "-o",
    tarball,
    commit,
    "--",
    "kernels",
    "patches",
  ]);
  if (a.exitCode !== 0) {
    throw new LpctlError(
      "SOURCE_UNAVAILABLE",
      `cannot export commit ${commit} from ${gitDir}: ${a.stderr.trim()}; fetch it first (git fetch origin ${commit})`,
      { details: { commit, gitDir } },
    );
  }
  await mkdir(into, { recursive: true });
  const x = await runner.run("tar", ["-xf", tarball, "-C", into]);
  if (x.exitCode !== 0) {
    throw new LpctlError(
      "SOURCE_UNAVAILABLE",
      `unpacking commit ${commit} failed: ${x.stderr.trim()}`,
    );
  }
}
