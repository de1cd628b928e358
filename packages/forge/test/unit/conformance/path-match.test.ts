import { describe, expect, it } from "vitest";
import { PathIndex, type RouteEntry } from "../../../src/conformance/path-match.js";

const entries: RouteEntry[] = [
  { method: "get", template: "/repos/{owner}/{repo}/releases/{release_id}", multiSegment: [] },
  { method: "get", template: "/repos/{owner}/{repo}/releases/latest", multiSegment: [] },
  { method: "get", template: "/repos/{owner}/{repo}/releases/tags/{tag}", multiSegment: ["tag"] },
  {
    method: "get",
    template: "/repos/{owner}/{repo}/releases/{release_id}/assets",
    multiSegment: [],
  },
  { method: "get", template: "/repos/{owner}/{repo}/commits/{ref}", multiSegment: ["ref"] },
  {
    method: "get",
    template: "/repos/{owner}/{repo}/commits/{ref}/check-runs",
    multiSegment: ["ref"],
  },
  {
    method: "get",
    template: "/repos/{owner}/{repo}/compare/{basehead}",
    multiSegment: ["basehead"],
  },
  { method: "get", template: "/repos/{owner}/{repo}/compare/{base}...{head}", multiSegment: [] },
  { method: "post", template: "/repos/{owner}/{repo}/releases", multiSegment: [] },
  { method: "get", template: "/", multiSegment: [] },
  { method: "get", template: "/repos/{owner}/{repo}/contents/{path}", multiSegment: ["path"] },
];
const index = new PathIndex(entries);

function templateOf(method: string, path: string) {
  return index.match(method, path)?.entry.template;
}

describe("PathIndex", () => {
  it("prefers a literal segment over a parameter: /releases/latest is not release id 'latest'", () => {
    expect(templateOf("GET", "/repos/o/r/releases/latest")).toBe(
      "/repos/{owner}/{repo}/releases/latest",
    );
    expect(index.match("GET", "/repos/o/r/releases/42")?.params).toEqual({
      owner: "o",
      repo: "r",
      release_id: "42",
    });
  });

  it("decides at the first differing segment: tags/{tag} before {release_id}/assets", () => {
    expect(templateOf("GET", "/repos/o/r/releases/tags/assets")).toBe(
      "/repos/{owner}/{repo}/releases/tags/{tag}",
    );
    expect(templateOf("GET", "/repos/o/r/releases/7/assets")).toBe(
      "/repos/{owner}/{repo}/releases/{release_id}/assets",
    );
  });

  it("lets x-multi-segment parameters span slashes, leaving literal suffixes to the template that has them", () => {
    expect(index.match("GET", "/repos/o/r/commits/feature/x")?.params.ref).toBe("feature/x");
    const checkRuns = index.match("GET", "/repos/o/r/commits/feature/x/check-runs");
    expect(checkRuns?.entry.template).toBe("/repos/{owner}/{repo}/commits/{ref}/check-runs");
    expect(checkRuns?.params.ref).toBe("feature/x");
    expect(index.match("GET", "/repos/o/r/releases/tags/v1/rc1")?.params.tag).toBe("v1/rc1");
  });

  it("lets a trailing multi-segment parameter be empty (the root directory's contents), and only that one", () => {
    const contents = "/repos/{owner}/{repo}/contents/{path}";
    expect(templateOf("GET", "/repos/o/r/contents")).toBe(contents);
    expect(index.match("GET", "/repos/o/r/contents/")?.params.path).toBe("");
    expect(index.match("GET", "/repos/o/r/contents/a/b.c")?.params.path).toBe("a/b.c");
    expect(templateOf("GET", "/repos/o/r/commits")).toBeUndefined();
    expect(templateOf("GET", "/repos/o/r/commits/")).toBeUndefined();
  });

  it("does not let a plain parameter span slashes", () => {
    expect(templateOf("GET", "/repos/o/r/extra/releases/1")).toBeUndefined();
  });

  it("matches segments that mix text and parameters, ranking them above a bare parameter", () => {
    const m = index.match("GET", "/repos/o/r/compare/main...topic");
    expect(m?.entry.template).toBe("/repos/{owner}/{repo}/compare/{base}...{head}");
    expect(m?.params).toMatchObject({ base: "main", head: "topic" });
  });

  it("matches the root endpoint", () => {
    expect(templateOf("GET", "/")).toBe("/");
    expect(templateOf("GET", "/?x=1")).toBe("/");
  });

  it("ignores the query string and the method's case", () => {
    expect(templateOf("get", "/repos/o/r/releases/latest?per_page=1")).toBe(
      "/repos/{owner}/{repo}/releases/latest",
    );
  });

  it("finds nothing for unknown paths, empty segments, or another method", () => {
    expect(templateOf("GET", "/repos/o/r/nothing")).toBeUndefined();
    expect(templateOf("GET", "/repos/o/r/releases/")).toBeUndefined();
    expect(templateOf("DELETE", "/repos/o/r/releases/1")).toBeUndefined();
    expect(index.hasPath("/repos/o/r/releases/1")).toBe(true);
    expect(index.hasPath("/repos/o/r/nothing")).toBe(false);
  });
});
