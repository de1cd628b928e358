import { describe, expect, it } from "vitest";
import {
  checklistSection,
  COMMENT_MARKER,
  isAppComment,
  lintSection,
  renderComment,
} from "../../../src/app/comment.js";
import type { Finding } from "../../../src/core/lint/finding.js";

describe("PR comment", () => {
  it("starts with the hidden marker so it is found again", () => {
    const body = renderComment(undefined, { plan: "### Plan\n\nx" });
    expect(body.startsWith(COMMENT_MARKER)).toBe(true);
    expect(isAppComment(body)).toBe(true);
    expect(isAppComment("just a comment mentioning livepatch")).toBe(false);
  });

  it("replaces one section and keeps the others", () => {
    const first = renderComment(undefined, { plan: "PLAN-1", lint: "LINT-1" });
    const second = renderComment(first, { builds: "BUILDS-1" });
    const third = renderComment(second, { plan: "PLAN-2" });
    expect(third).toContain("PLAN-2");
    expect(third).not.toContain("PLAN-1");
    expect(third).toContain("LINT-1");
    expect(third).toContain("BUILDS-1");
    // Sections keep their fixed order, whatever order they were written in.
    expect(third.indexOf("PLAN-2")).toBeLessThan(third.indexOf("LINT-1"));
    expect(third.indexOf("LINT-1")).toBeLessThan(third.indexOf("BUILDS-1"));
  });

  it("is stable: re-rendering with the same content changes nothing", () => {
    const a = renderComment(undefined, { plan: "P", lint: "L" });
    expect(renderComment(a, { plan: "P" })).toBe(a);
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
