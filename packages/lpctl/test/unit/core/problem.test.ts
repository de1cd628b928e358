import { describe, expect, it } from "vitest";
import { isPrintable, printable } from "../../../src/core/printable.js";
import { formatProblem } from "../../../src/core/problem.js";

describe("formatProblem", () => {
  it("prints file, field path and message on one line", () => {
    const p = { file: "a.yaml", path: "kernels[1]", code: "KERNEL_UNKNOWN" as const, message: "m" };
    expect(formatProblem(p)).toBe("a.yaml: kernels[1]: m");
    expect(formatProblem({ ...p, path: "" })).toBe("a.yaml: m");
  });

  it("escapes control characters so a problem cannot forge log lines", () => {
    const p = { file: "x\n::error::y", path: "", code: "PATH_UNSAFE" as const, message: "\x1b[2J" };
    expect(formatProblem(p)).toBe("x\\x0a::error::y: \\x1b[2J");
    expect(printable("tab\there\x7f")).toBe("tab\\x09here\\x7f");
  });

  it("shows C1 controls and bidirectional or zero-width characters too", () => {
    expect(printable("a\u009b2Jb\u202ec\u200bd\u2028")).toBe(
      "a\\x9b2Jb\\u{202E}c\\u{200B}d\\u{2028}",
    );
    expect(isPrintable("Fix /proc/cmdline — ünïcode ✓")).toBe(true);
    expect(isPrintable("a\u001b[31m")).toBe(false);
  });
});
