import { describe, expect, it } from "vitest";
import { resolveKernelRefs } from "../../../src/core/kernel-refs.js";

const known = ["debian-6.1-lab", "debian-6.1-cloud", "ubuntu-6.8"];

describe("resolveKernelRefs", () => {
  it("resolves ids and globs to sorted, unique target ids", () => {
    const r = resolveKernelRefs("p.yaml", ["ubuntu-6.8", "debian-*", "debian-6.1-lab"], known);
    expect(r).toEqual({
      targets: ["debian-6.1-cloud", "debian-6.1-lab", "ubuntu-6.8"],
      problems: [],
    });
  });

  it("matches ? as one character and treats . literally", () => {
    expect(resolveKernelRefs("p", ["ubuntu-6.?"], known).targets).toEqual(["ubuntu-6.8"]);
    expect(resolveKernelRefs("p", ["ubuntu-6x8"], known).problems[0].code).toBe("KERNEL_UNKNOWN");
  });

  it("says 'none' when there are no targets at all", () => {
    expect(resolveKernelRefs("p", ["x"], []).problems[0].message).toBe(
      "no kernel target 'x' (known: none)",
    );
  });

  it("refuses regular-expression and path syntax", () => {
    for (const ref of ["debian-[0-9]", "../debian", "debian-.+"]) {
      const [p] = resolveKernelRefs("p", [ref], known).problems;
      expect(p.code).toBe("ID_INVALID");
    }
  });
});
