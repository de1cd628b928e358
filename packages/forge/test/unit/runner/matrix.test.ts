import { describe, expect, it } from "vitest";
import type { Json } from "../../../src/runner/expressions.js";
import { expandMatrix, legName } from "../../../src/runner/matrix.js";

describe("matrix expansion", () => {
  it("is the cartesian product in key order", () => {
    expect(expandMatrix({ os: ["a", "b"], n: [1, 2] })).toEqual([
      { os: "a", n: 1 },
      { os: "a", n: 2 },
      { os: "b", n: 1 },
      { os: "b", n: 2 },
    ]);
  });

  it("no matrix is one leg with an empty matrix", () => {
    expect(expandMatrix(undefined)).toEqual([{}]);
    expect(expandMatrix(null)).toEqual([{}]);
  });

  it("excludes combinations matching every key an exclude entry names", () => {
    expect(
      expandMatrix({ os: ["a", "b"], n: [1, 2], exclude: [{ os: "a", n: 2 }, { os: "b" }] }),
    ).toEqual([{ os: "a", n: 1 }]);
  });

  // The worked example of GitHub's docs ("Expanding or adding matrix configurations").
  it("adds include entries to the combinations they fit, else as new combinations", () => {
    const matrix: Json = {
      fruit: ["apple", "pear"],
      animal: ["cat", "dog"],
      include: [
        { color: "green" },
        { color: "pink", animal: "cat" },
        { fruit: "apple", shape: "circle" },
        { fruit: "banana" },
        { fruit: "banana", animal: "cat" },
      ],
    };
    expect(expandMatrix(matrix)).toEqual([
      { fruit: "apple", animal: "cat", color: "pink", shape: "circle" },
      { fruit: "apple", animal: "dog", color: "green", shape: "circle" },
      { fruit: "pear", animal: "cat", color: "pink" },
      { fruit: "pear", animal: "dog", color: "green" },
      { fruit: "banana" },
      { fruit: "banana", animal: "cat" },
    ]);
  });

  it("an include-only matrix is its include entries", () => {
    expect(expandMatrix({ include: [{ a: 1 }, { a: 2 }] })).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it("refuses empty vectors and non-list values, as GitHub does", () => {
    expect(() => expandMatrix({ target: [] })).toThrow(
      /matrix vector 'target' does not contain any values/,
    );
    expect(() => expandMatrix({ target: "x" })).toThrow(/must be a list/);
    expect(() => expandMatrix({ include: "x" })).toThrow(/include must be a list of mappings/);
    expect(() => expandMatrix("x")).toThrow(/must be a mapping/);
    expect(() => expandMatrix({ a: [1], exclude: [{ a: 1 }] })).toThrow(/produces no jobs/);
  });

  it("names legs after their values", () => {
    expect(legName("build", { target: "debian-6.1-lab" }, 1)).toBe("build (debian-6.1-lab)");
    expect(legName("build", { a: "x", n: 2, o: { k: 1 } }, 3)).toBe('build (x, 2, {"k":1})');
    expect(legName("plan", {}, 1)).toBe("plan");
  });
});
