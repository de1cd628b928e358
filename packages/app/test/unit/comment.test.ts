import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  checklistSection,
  COMMENT_MARKER,
  isAppComment,
  lintSection,
  planSection,
  renderComment,
} from "../../src/comment.js";
import { planBuild } from "@livepatch-gitops/lpctl/core/plan";
import { CommentState } from "../../src/comment-state.js";
import type { Finding } from "@livepatch-gitops/lpctl/core/lint/finding";

const AB = { owner: "a", repo: "b" };

describe("PR comment", () => {
  it("notes under the plan what is known of whether each target can be patched", () => {
    const plan = planBuild({
      changed: [],
      head: {
        targets: ["deb", "lab"],
        patches: new Map([["p", ["deb", "lab"]]]),
        withdrawn: new Map(),
      },
    });
    const section = planSection(plan, { deb: "cannot be live patched by this engine: IBT" });
    expect(section).toContain("| `lab` | `full build` |");
    expect(section).toContain("\n\n- `deb`: `cannot be live patched by this engine: IBT`");
    expect(section).not.toContain("- `lab`");
    expect(planSection(plan)).not.toContain("\n- ");
  });

  it("names the targets a withdrawal leaves without a patch, even with nothing to build", () => {
    const plan = planBuild({
      changed: ["patches/p/patch.yaml"],
      base: { targets: ["lab"], patches: new Map([["p", ["lab"]]]), withdrawn: new Map() },
      head: { targets: ["lab"], patches: new Map([["p", []]]), withdrawn: new Map([["p", "bad"]]) },
    });
    const section = planSection(plan);
    expect(section).toContain("Nothing to build.");
    expect(section).toContain(
      "Left without an active patch (the next manifest has no module for them; hosts unload theirs): `lab`",
    );
  });

  it("starts with the hidden marker so it is found again", () => {
    const body = renderComment({ plan: "### Plan\n\nx" });
    expect(body.startsWith(COMMENT_MARKER)).toBe(true);
    expect(isAppComment(body)).toBe(true);
    expect(isAppComment("just a comment mentioning livepatch")).toBe(false);
  });

  it("renders the sections in their fixed order, whatever order they were written in", async () => {
    const state = new CommentState();
    await state.update(AB, 1, { plan: "PLAN-1", lint: "LINT-1" });
    await state.update(AB, 1, { builds: "BUILDS-1" });
    const third = renderComment(await state.update(AB, 1, { plan: "PLAN-2" }));
    expect(third).toContain("PLAN-2");
    expect(third).not.toContain("PLAN-1");
    expect(third).toContain("LINT-1");
    expect(third).toContain("BUILDS-1");
    expect(third.indexOf("PLAN-2")).toBeLessThan(third.indexOf("LINT-1"));
    expect(third.indexOf("LINT-1")).toBeLessThan(third.indexOf("BUILDS-1"));
    // Another pull request's sections are its own.
    expect(renderComment(await state.update(AB, 2, {}))).not.toContain("PLAN-2");
  });

  it("keeps every section across a restart when the app has a state directory", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lpctl-comments-"));
    try {
      await new CommentState(dir).update(AB, 7, { plan: "PLAN", lint: "LINT" });
      // A new process: only the release section is written, the rest comes from the directory.
      const after = renderComment(await new CommentState(dir).update(AB, 7, { release: "REL" }));
      expect(after).toContain("PLAN");
      expect(after).toContain("LINT");
      expect(after).toContain("REL");
      expect(renderComment(await new CommentState(dir).update(AB, 8, {}))).not.toContain("PLAN");
      // A repository name that would leave the directory is refused, not written.
      await expect(
        new CommentState(dir).update({ owner: "..", repo: "x" }, 1, { plan: "P" }),
      ).rejects.toThrow(/not a repository name/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is stable: re-rendering with the same content changes nothing", () => {
    const a = renderComment({ plan: "P", lint: "L" });
    expect(renderComment({ lint: "L", plan: "P" })).toBe(a);
  });

  it("builds the checklist from the findings", () => {
    const f: Finding = {
      patch: "p.patch",
      file: "a.c",
      startLine: 3,
      endLine: 3,
      severity: "warning",
      rule: "inline-function-change",
      message: "m",
    };
    const c = checklistSection([f]);
    expect(c).toContain("Locking");
    expect(c).toContain("inline");
    expect(checklistSection([])).not.toContain("inline");
    expect(lintSection([f])).toContain("a.c:3");
  });
});
