import { describe, expect, it } from "vitest";
import { filterPatternRegExp, selectedBy } from "../../../src/runner/filter-pattern.js";
import { workflowTriggers, type WorkflowEvent } from "../../../src/runner/index.js";

describe("GitHub filter patterns", () => {
  it.each([
    // pattern, value, matches
    ["*", "main", true],
    ["*", "feature/x", false],
    ["**", "feature/x/y", true],
    ["feature/*", "feature/x", true],
    ["feature/*", "feature/x/y", false],
    ["feature/**", "feature/x/y", true],
    ["releases/v1.?", "releases/v1.", true],
    ["releases/v1.?", "releases/v1", true],
    ["v2+", "v222", true],
    ["v2+", "v", false],
    ["v[12].[0-9]", "v1.5", true],
    ["v[12].[0-9]", "v3.5", false],
    ["*.md", "README.md", true],
    ["*.md", "docs/README.md", false],
    ["**.md", "docs/README.md", true],
    ["**/README.md", "a/b/README.md", true],
    ["**/README.md", "README.md", true],
    ["**/README.md", "xREADME.md", false],
    ["docs/**", "docs/a/b.md", true],
    ["docs/**", "docsx/a.md", false],
    ["a\\*b", "a*b", true],
    ["a\\*b", "axb", false],
    ["kernels/**", "kernels/debian-6.1-lab/target.yaml", true],
    ["a.b", "axb", false],
  ])("%s on %s: %s", (pattern, value, matches) => {
    expect(filterPatternRegExp(pattern).test(value)).toBe(matches);
  });

  it("lets a later ! exclude and a later pattern include again, in order", () => {
    const patterns = ["docs/**", "!docs/internal/**", "docs/internal/public.md"];
    expect(selectedBy(patterns, "docs/a.md")).toBe(true);
    expect(selectedBy(patterns, "docs/internal/secret.md")).toBe(false);
    expect(selectedBy(patterns, "docs/internal/public.md")).toBe(true);
    expect(selectedBy(["!docs/**"], "docs/a.md")).toBe(false);
  });
});

const push = (
  branch: string,
  changedFiles?: string[],
  ref = `refs/heads/${branch}`,
): WorkflowEvent => ({
  name: "push",
  branch,
  payload: { ref },
  changedFiles,
});
const pr = (action: string, base: string, changedFiles?: string[]): WorkflowEvent => ({
  name: "pull_request",
  action,
  branch: base,
  payload: { action },
  changedFiles,
});

describe("workflowTriggers", () => {
  const cases: [string, string, WorkflowEvent, boolean][] = [
    ["bare event name", "on: push", push("any"), true],
    ["other event", "on: pull_request", push("main"), false],
    ["event list", "on: [push, pull_request]", pr("opened", "main"), true],
    ["branches", "on: { push: { branches: [main, 'release/**'] } }", push("release/1.0/x"), true],
    ["branches miss", "on: { push: { branches: [main] } }", push("topic"), false],
    ["branches with !", "on: { push: { branches: ['**', '!wip/*'] } }", push("wip/a"), false],
    [
      "branches-ignore",
      "on: { push: { branches-ignore: ['dependabot/**'] } }",
      push("dependabot/npm/x"),
      false,
    ],
    [
      "branches-ignore miss",
      "on: { push: { branches-ignore: ['dependabot/**'] } }",
      push("main"),
      true,
    ],
    [
      "tag push with only branches",
      "on: { push: { branches: [main] } }",
      push("v1", undefined, "refs/tags/v1"),
      false,
    ],
    [
      "tag push with tags",
      "on: { push: { tags: ['v*'] } }",
      push("v1", undefined, "refs/tags/v1"),
      true,
    ],
    ["branch push with only tags", "on: { push: { tags: ['v*'] } }", push("main"), false],
    ["paths", "on: { push: { paths: ['src/**'] } }", push("main", ["README.md", "src/a.ts"]), true],
    ["paths miss", "on: { push: { paths: ['src/**'] } }", push("main", ["README.md"]), false],
    [
      "paths with !",
      "on: { push: { paths: ['src/**', '!src/**/*.md'] } }",
      push("main", ["src/a.md"]),
      false,
    ],
    [
      "paths-ignore all ignored",
      "on: { push: { paths-ignore: ['docs/**'] } }",
      push("main", ["docs/a.md"]),
      false,
    ],
    [
      "paths-ignore some not",
      "on: { push: { paths-ignore: ['docs/**'] } }",
      push("main", ["docs/a.md", "x"]),
      true,
    ],
    ["paths, files unknown", "on: { push: { paths: ['src/**'] } }", push("main"), true],
    ["paths, no files changed", "on: { push: { paths: ['src/**'] } }", push("main", []), false],
    ["pr default types: opened", "on: pull_request", pr("opened", "main"), true],
    ["pr default types: synchronize", "on: pull_request", pr("synchronize", "main"), true],
    ["pr default types: reopened", "on: pull_request", pr("reopened", "main"), true],
    ["pr default types: closed", "on: pull_request", pr("closed", "main"), false],
    ["pr default types: labeled", "on: pull_request", pr("labeled", "main"), false],
    ["pr explicit types", "on: { pull_request: { types: [closed] } }", pr("closed", "main"), true],
    [
      "pr branches are the base",
      "on: { pull_request: { branches: [main] } }",
      pr("opened", "main"),
      true,
    ],
    ["pr base miss", "on: { pull_request: { branches: [main] } }", pr("opened", "dev"), false],
    [
      "dispatch",
      "on: workflow_dispatch",
      { name: "workflow_dispatch", branch: "main", payload: {} },
      true,
    ],
    [
      "repository_dispatch types",
      "on: { repository_dispatch: { types: [rebuild] } }",
      { name: "repository_dispatch", action: "other", branch: "main", payload: {} },
      false,
    ],
    ["not YAML", "on: [push", push("main"), false],
    ["no on:", "jobs: {}", push("main"), false],
  ];
  it.each(cases)("%s", (_, on, event, expected) => {
    const workflow = `${on}\njobs:\n  a:\n    runs-on: x\n    steps: [{ run: "true" }]\n`;
    expect(workflowTriggers(workflow, event)).toBe(expected);
  });

  it("still selects a workflow whose jobs are invalid, so the run fails visibly", () => {
    expect(workflowTriggers("on: push\njobs:\n  a:\n    stepz: []\n", push("main"))).toBe(true);
  });
});
