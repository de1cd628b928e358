import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { describe, expect, it } from "vitest";
import { classifyFailure, patchForObject } from "../../../../src/builder/kpatch/build-failure.js";
import { selectPatches } from "../../../../src/builder/build/build-inputs.js";
import { parseKpatchOutput } from "../../../../src/builder/kpatch/kpatch-output.js";
import type { LivePatch } from "../../../../src/core/patch-meta.js";
import { STYLE_FIXTURES, styleEntry } from "@livepatch-gitops/test-support/patch-styles";

const log = (name: string) =>
  readFileSync(new URL(`../../../fixtures/kpatch-logs/${name}`, import.meta.url), "utf8");

function patch(id: string, file: string): LivePatch {
  return {
    id,
    title: id,
    description: id,
    cves: [],
    notLivePatchable: [],
    kernels: ["k"],
    targets: ["k"],
    files: [
      {
        path: `patches/${id}/0001.patch`,
        text: `--- a/${file}\n+++ b/${file}\n@@ -1 +1 @@\n-a\n+b\n`,
      },
    ],
  };
}

const patches = [
  patch("cmdline-banner", "fs/proc/cmdline.c"),
  patch("version-init", "fs/proc/version.c"),
];

describe("patchForObject", () => {
  it("finds the patch by object base name (0.9.10) or tree path (0.9.11)", () => {
    expect(patchForObject(patches, "version.o")).toBe("version-init");
    expect(patchForObject(patches, "fs/proc/cmdline.o")).toBe("cmdline-banner");
    expect(patchForObject(patches, "meminfo.o")).toBeUndefined();
  });

  it("finds it in every accepted patch style, not only a/ b/", () => {
    for (const [dir, file, , patched] of STYLE_FIXTURES) {
      const { path, text } = styleEntry(dir, file);
      const styled = { ...patch(dir, patched), files: [{ path, text }] };
      expect(
        patchForObject([patch("other", "mm/other.c"), styled], patched.replace(/\.c$/, ".o")),
      ).toBe(dir);
      expect(
        patchForObject(
          [patch("other", "mm/other.c"), styled],
          basename(patched).replace(/\.c$/, ".o"),
        ),
      ).toBe(dir);
    }
  });
});

describe("classifyFailure", () => {
  it("maps the real __init refusal to rule init-code and names the patch", () => {
    const text = log("init-refused.log");
    const lines = text.split("\n").filter((l) => l !== "");
    const f = classifyFailure(lines, parseKpatchOutput(text), patches, new Map());
    expect(f).toMatchObject({
      code: "KPATCH_BUILD_FAILED",
      rule: "init-code",
      patch: "version-init",
    });
    expect(f.message).toContain("version-init");
    expect(f.logTail.length).toBeLessThanOrEqual(30);
    expect(f.logTail.join("\n")).toContain(".init.text not selected for inclusion");
  });

  it("names the patch that failed to apply from the staged file name", () => {
    const lines = [
      "Using source directory at /tree",
      "Testing patch file(s)",
      "ERROR: /out/.patches-x/002-version-init-0001.patch file failed to apply. Check /c/build.log for more details.",
    ];
    const files = new Map([["/out/.patches-x/002-version-init-0001.patch", "version-init"]]);
    const f = classifyFailure(lines, parseKpatchOutput(lines.join("\n")), patches, files);
    expect(f).toMatchObject({ code: "PATCH_APPLY_FAILED", patch: "version-init" });
    expect(f.message).toMatch(/version-init does not apply/);
  });

  it("falls back to the only patch when the log names no object", () => {
    const lines = ["ERROR: no changed objects found. Check /c/build.log for more details."];
    const only = patches.slice(0, 1);
    const f = classifyFailure(lines, parseKpatchOutput(lines.join("\n")), only, new Map());
    expect(f).toMatchObject({ code: "KPATCH_BUILD_FAILED", patch: "cmdline-banner" });
    expect(f.rule).toBeUndefined();
  });
});

describe("selectPatches", () => {
  const all = [patch("b-second", "fs/proc/version.c"), patch("a-first", "fs/proc/cmdline.c")];
  it("takes every patch for the target, ordered by id, without --patch", () => {
    expect(selectPatches(all, "k").map((p) => p.id)).toEqual(["a-first", "b-second"]);
    expect(selectPatches(all, "other")).toEqual([]);
  });

  it("takes only the named patches, and refuses one that does not target the kernel", () => {
    expect(selectPatches(all, "k", ["b-second"]).map((p) => p.id)).toEqual(["b-second"]);
    expect(() => selectPatches(all, "other", ["b-second"])).toThrow(/does not list kernel 'other'/);
    expect(() => selectPatches(all, "k", ["nope"])).toThrow(/no valid patch 'nope'/);
  });

  it("leaves a records-only patch (no *.patch file) out, and refuses it by name", () => {
    const records = { ...patch("c-records", "x.c"), files: [] };
    expect(selectPatches([...all, records], "k").map((p) => p.id)).toEqual(["a-first", "b-second"]);
    const named = () => selectPatches([...all, records], "k", ["c-records"]);
    expect(named).toThrow(expect.objectContaining({ code: "PATCH_INVALID" }));
    expect(named).toThrow(/holds only notLivePatchable records .* nothing to build/);
  });

  it("refuses a withdrawn patch by name, saying so", () => {
    const gone = { ...patch("c-gone", "fs/proc/cmdline.c"), withdrawn: { reason: "oops" } };
    expect(() => selectPatches([...all, gone], "k", ["c-gone"])).toThrow(
      /patch 'c-gone' is withdrawn \(oops\)/,
    );
  });
});

describe("classifyFailure on logs of lpctl's own kpatch-build runs", () => {
  const lines = (name: string) =>
    log(name)
      .split("\n")
      .filter((l) => l !== "");

  it("init refusal of the fixture patch version-init", () => {
    const l = lines("lpctl-init-refused.log");
    const f = classifyFailure(l, parseKpatchOutput(l.join("\n")), patches, new Map());
    expect(f).toMatchObject({ rule: "init-code", patch: "version-init" });
  });

  it("apply failure of the fixture patch cmdline-noapply, found by its staged file name", () => {
    const l = lines("lpctl-apply-failed.log");
    const files = new Map([["002-cmdline-noapply-0001-cmdline-noapply.patch", "cmdline-noapply"]]);
    const f = classifyFailure(l, parseKpatchOutput(l.join("\n")), patches, files);
    expect(f).toMatchObject({ code: "PATCH_APPLY_FAILED", patch: "cmdline-noapply" });
    expect(f.logTail.join("\n")).toContain("Hunk #1 FAILED");
  });

  it("the cumulative success has both changed functions", () => {
    const out = parseKpatchOutput(log("lpctl-cumulative-success.log"));
    expect(out.success).toBe(true);
    expect(out.changes.map((c) => c.function)).toEqual(["cmdline_proc_show", "version_proc_show"]);
    expect(out.moduleFile).toBe("lp_debian_6_1_lab_dev56fb44b3.ko");
  });
});
