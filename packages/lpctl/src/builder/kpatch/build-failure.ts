/**
 * Turning a failed kpatch-build run into an error a patch author can act on:
 * which patch, which lint rule predicted it, and the end of the log.
 */
import { basename } from "node:path";
import { parseDiff } from "../../core/diff.js";
import { LpctlError } from "../../core/errors.js";
import type { RuleId } from "../../core/lint/finding.js";
import type { LivePatch } from "../../core/patch-meta.js";
import { failedPatchFile, matchKpatchRule } from "./kpatch-errors.js";
import { ruleAdvice } from "./rule-advice.js";
import type { KpatchOutput } from "./kpatch-output.js";

export interface BuildFailure {
  code: "PATCH_APPLY_FAILED" | "KPATCH_BUILD_FAILED";
  message: string;
  patch?: string;
  rule?: RuleId;
  logTail: string[];
}

/** Staged patch file path → patch id, as the builder wrote them for kpatch-build. */
export type PatchFileMap = ReadonlyMap<string, string>;

const TAIL = 30;

/** The patch that touches the source of `object` (version.o or fs/proc/version.o), in any accepted diff style. */
export function patchForObject(patches: readonly LivePatch[], object: string): string | undefined {
  const stem = object.replace(/\.o$/, "");
  const hasDir = stem.includes("/");
  for (const p of patches) {
    for (const f of p.files) {
      // The paths patch -p1 patches, whatever the diff style (validated patches parse).
      for (const d of parseDiff(f.text)) {
        const src = d.path.replace(/\.[cS]$/, "");
        if (src === d.path) continue;
        if (hasDir ? src === stem : basename(src) === stem) return p.id;
      }
    }
  }
  return undefined;
}

/** The object named by the first create-diff-object diagnostic (`version.o: ...`). */
function objectInErrors(errors: readonly string[]): string | undefined {
  for (const e of errors) {
    const m = /^(?:ERROR: )?(\S+\.o): /.exec(e);
    if (m) return m[1];
  }
  return undefined;
}

export function classifyFailure(
  lines: readonly string[],
  parsed: KpatchOutput,
  patches: readonly LivePatch[],
  files: PatchFileMap,
): BuildFailure {
  const logTail = lines.slice(-TAIL);
  const applyFile = failedPatchFile(lines);
  if (applyFile !== undefined) {
    const patch = files.get(applyFile) ?? files.get(basename(applyFile));
    return {
      code: "PATCH_APPLY_FAILED",
      message: `patch ${patch ?? applyFile} does not apply to the target's source (${basename(applyFile)}); rebase it on the target's kernel version`,
      ...(patch === undefined ? {} : { patch }),
      logTail,
    };
  }
  // All lines: the evidence for a rule may be a diagnostic that is not an error.
  const rule = matchKpatchRule(lines);
  const object = objectInErrors(parsed.errors);
  const patch =
    (object && patchForObject(patches, object)) ||
    (patches.length === 1 ? patches[0]?.id : undefined);
  const first = parsed.errors.find((e) => !/error\(s\) encountered/.test(e)) ?? parsed.errors[0];
  const refused = patches.filter((p) => patch === undefined || p.id === patch);
  const advice = rule && ruleAdvice(rule.rule, refused);
  const why = rule
    ? `lint rule ${rule.rule}${advice ? ` (${advice})` : `; see docs/lint-rules.md for what to do`}`
    : "see the log";
  return {
    code: "KPATCH_BUILD_FAILED",
    message:
      `kpatch-build refused ${patch ? `patch ${patch}` : "the patch set"}` +
      `${first ? ` (${first.replace(/^ERROR: /, "")})` : ""}; ${why}`,
    ...(patch ? { patch } : {}),
    ...(rule ? { rule: rule.rule } : {}),
    logTail,
  };
}

export function failureError(f: BuildFailure, reportPath: string): LpctlError {
  return new LpctlError(
    f.code,
    `${f.message}\n--- last lines of the kpatch-build output ---\n${f.logTail.join("\n")}\n(report: ${reportPath})`,
    { details: { patch: f.patch, rule: f.rule } },
  );
}
