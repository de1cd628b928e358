/**
 * The PR comment says which check decided when the diff-only lint, the build
 * and the build's source-aware lint disagree. The failure words are the ones
 * the builder writes from a real kpatch-build run (packages/lpctl/test/fixtures/kpatch-logs).
 */
import { describe, expect, it } from "vitest";
import { decidedLines, decidedParagraph } from "../../src/decided.js";
import type { BuildReport } from "@livepatch-gitops/lpctl/core/build-report";
import { fakeReport } from "@livepatch-gitops/test-support/report-fixture";

const T = "debian-6.1-lab";
const ok = (over: Partial<BuildReport> = {}) => ({
  target: T,
  report: { ...fakeReport(T), ...over },
});
const INIT_REFUSED =
  "kpatch-build refused patch version-init (version.o: 2 unsupported section change(s)); lint rule init-code (move the change out of the __init function)";
const refused = (lintErrors = 0) =>
  ok({
    result: "failure",
    error: { code: "KPATCH_BUILD_FAILED", message: INIT_REFUSED, rule: "init-code", logTail: [] },
    lint: {
      sourceAware: true,
      errors: lintErrors,
      warnings: 0,
      findings:
        lintErrors === 0
          ? []
          : [
              {
                patch: "patches/version-init/0001-version-init.patch",
                file: "fs/proc/version.c",
                startLine: 21,
                endLine: 21,
                severity: "error",
                rule: "init-code",
                message: "m",
              },
            ],
    },
  });
const passed = { conclusion: "success", title: "0 error(s), 0 warning(s)" };
const failed = { conclusion: "failure", title: "1 error(s), 0 warning(s)" };

describe("which check decided", () => {
  it("says nothing when the lint and every build agree", () => {
    expect(decidedLines(passed, [ok()])).toEqual([]);
    expect(decidedLines(failed, [refused(1)])).toEqual([]);
    expect(decidedParagraph(passed, [ok()])).toBe("");
  });

  it("lint passed, build refused: the build decided, in kpatch-build's words and the rule", () => {
    const [line] = decidedLines(passed, [refused(1)]);
    expect(line).toContain("**the build decided**: the lint check (diff only) passed");
    expect(line).toContain(`the build refused: \`${INIT_REFUSED}\` (rule \`init-code\`)`);
    expect(line).toContain(
      "the source-aware lint on `debian-6.1-lab`'s tree found 1 error(s), first `init-code` at `fs/proc/version.c:21`",
    );
  });

  it("lint failed, build succeeded: the lint decided, and says when the source saw no error", () => {
    const clean = ok({ lint: { sourceAware: true, errors: 0, warnings: 0, findings: [] } });
    const [line] = decidedLines(failed, [clean]);
    expect(line).toContain(
      "**the lint decided**: the build succeeded, but the lint check (diff only) failed (`1 error(s), 0 warning(s)`)",
    );
    expect(line).toContain("the source-aware lint on `debian-6.1-lab`'s tree found no error");
    expect(line).toContain("`lpctl lint --target debian-6.1-lab`");
  });

  it("both passed but the build's source-aware lint found an error: it disagrees, and says where", () => {
    const built = { ...refused(1).report, result: "success" as const };
    delete built.error;
    const [line] = decidedLines(passed, [{ target: T, report: built }]);
    expect(line).toContain("**the source-aware lint disagrees**");
    expect(line).toContain("`init-code` at `fs/proc/version.c:21`");
  });

  it("stays silent without a finished lint check or a report", () => {
    expect(decidedLines(undefined, [refused()])).toEqual([]);
    expect(decidedLines({ conclusion: null, title: null }, [refused()])).toEqual([]);
    expect(decidedLines(passed, [{ target: T, error: "artifact refused" }])).toEqual([]);
  });
});
