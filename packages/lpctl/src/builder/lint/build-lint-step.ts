/** The build's lint phase: never fails the build, prints a summary, returns the report field. */
import type { BuildLint } from "../../core/build-report.js";
import type { KpatchTraits } from "../../core/lint/source-facts.js";
import type { LivePatch } from "../../core/patch-meta.js";
import { lintPrepared } from "./build-lint.js";
import type { Runner } from "../runtime/runner.js";

export async function runBuildLint(
  prepared: { tree: string; pristine: string },
  patches: readonly LivePatch[],
  runner: Runner,
  print: (line: string) => void,
  /** The kpatch-build script (its traits are read from it), or the engine's traits. */
  kpatchBuild?: string | KpatchTraits,
): Promise<BuildLint> {
  try {
    const lint = await lintPrepared(
      prepared,
      patches.flatMap((p) => p.files),
      runner,
      kpatchBuild,
    );
    print(`lint: ${lint.errors} error(s), ${lint.warnings} warning(s) on the target's source`);
    for (const f of lint.findings)
      print(`lint: ${f.patch}: ${f.file}:${f.startLine}: ${f.severity} ${f.rule}`);
    return lint;
  } catch (e) {
    // The lint informs reviewers; kpatch-build is the authority on whether the module builds.
    const failed = e instanceof Error ? e.message : String(e);
    print(`lint: could not run on the source: ${failed}`);
    return { sourceAware: true, findings: [], errors: 0, warnings: 0, failed };
  }
}
