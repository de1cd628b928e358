import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lintForBuild } from "../../../../src/builder/lint/build-lint.js";
import { runBuildLint } from "../../../../src/builder/lint/build-lint-step.js";
import { execaRunner } from "../../../../src/builder/runtime/runner.js";
import { dirSourceTree } from "../../../../src/builder/lint/source-tree.js";
import { BuildLintSchema } from "../../../../src/core/build-report.js";

const DIR = join(import.meta.dirname, "../../../fixtures/lint-src");
const patch = (name: string) => ({
  path: `patches/${name}/0001-${name}.patch`,
  text: readFileSync(join(DIR, "cases", `${name}.patch`), "utf8"),
});

describe("the build's source-aware lint", () => {
  it("puts the findings decided on the tree in the report's lint field", async () => {
    const tree = dirSourceTree(join(DIR, "tree"), execaRunner);
    const files = [patch("init-split-declaration"), patch("jump-label-vmlinux-key-added")];
    // An upstream kpatch-build keeps a jump label on a vmlinux key on Linux 6.1 ...
    const lint = await lintForBuild(tree, files, { path: "kpatch-build", forcesKlpArch: false });
    expect(BuildLintSchema.parse(lint)).toEqual(lint);
    expect(lint).toMatchObject({ sourceAware: true, errors: 1, warnings: 0 });
    expect(lint.findings.map((f) => [f.patch, f.rule])).toEqual([
      ["patches/init-split-declaration/0001-init-split-declaration.patch", "init-code"],
    ]);
    // ... Debian's, which forces --klp-arch, refuses it.
    const debian = await lintForBuild(tree, files, { path: "kpatch-build", forcesKlpArch: true });
    expect(debian.findings.map((f) => f.rule)).toEqual(["init-code", "jump-label-or-static-call"]);
  });

  it("never fails the build: a tree it cannot read is recorded as 'failed'", async () => {
    const lines: string[] = [];
    const prepared = { tree: join(DIR, "no-such-tree"), pristine: join(DIR, "no-such-tree") };
    const failing = {
      run: () => Promise.reject(new Error("grep is missing")),
    };
    const lint = await runBuildLint(
      prepared,
      [
        {
          id: "jl",
          title: "t",
          description: "d",
          cves: [],
          notLivePatchable: [],
          kernels: ["debian-6.1-lab"],
          targets: ["debian-6.1-lab"],
          files: [patch("jump-label-unbuilt-key")],
        },
      ],
      failing,
      (l) => lines.push(l),
    );
    expect(lint.failed).toContain("grep is missing");
    expect(lint.findings).toEqual([]);
    expect(lines.at(-1)).toContain("could not run on the source");
  });
});
