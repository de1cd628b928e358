import { describe, expect, it } from "vitest";
import { paginate } from "../../src/http/paginate.js";

const items = Array.from({ length: 250 }, (_, i) => i);
const url = (q: string) => new URL(`http://h/api/v3/x?${q}`);

describe("paginate", () => {
  it("first page: next and last only", () => {
    const p = paginate(items, url("per_page=100"));
    expect(p.items).toHaveLength(100);
    expect(p.link).toBe(
      '<http://h/api/v3/x?per_page=100&page=2>; rel="next", <http://h/api/v3/x?per_page=100&page=3>; rel="last"',
    );
  });

  it("last page: prev and first only, and a short slice", () => {
    const p = paginate(items, url("per_page=100&page=3"));
    expect(p.items).toEqual(items.slice(200));
    expect(p.link).toBe(
      '<http://h/api/v3/x?per_page=100&page=2>; rel="prev", <http://h/api/v3/x?per_page=100&page=1>; rel="first"',
    );
  });

  it("defaults to 30, caps per_page at 100, and has no Link when one page holds everything", () => {
    expect(paginate(items, url("")).items).toHaveLength(30);
    expect(paginate(items, url("per_page=1000")).items).toHaveLength(100);
    expect(paginate([1, 2], url("")).link).toBeUndefined();
    expect(paginate(items, url("page=0&per_page=-5")).items).toEqual(items.slice(0, 30));
  });
});
