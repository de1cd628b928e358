import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../../src/core/canonical-json.js";
import { writeMirror, writeOrder, writeSteps } from "../../../src/publisher/mirror-directory.js";
import type { ReleaseFile } from "../../../src/publisher/release-files.js";
import { sampleManifest } from "@livepatch-gitops/test-support/test-keys";

const f = (name: string, text = name): ReleaseFile => ({
  name,
  bytes: new TextEncoder().encode(text),
  contentType: "x",
});

describe("writeOrder", () => {
  it("writes modules first, each manifest's signature before it, manifest.json last", () => {
    const names = [
      "m.ko",
      "m.ko.asc",
      "build-report-t.json",
      "kernel-aa.json",
      "kernel-aa.json.asc",
      "kernel-bb.json",
      "kernel-bb.json.asc",
      "manifest.json",
      "manifest.json.asc",
    ];
    expect(writeOrder(names.map((n) => f(n))).map((x) => x.name)).toEqual([
      "m.ko",
      "m.ko.asc",
      "build-report-t.json",
      "kernel-aa.json.asc",
      "kernel-aa.json",
      "kernel-bb.json.asc",
      "kernel-bb.json",
      "manifest.json.asc",
      "manifest.json",
    ]);
  });
});

describe("writeSteps", () => {
  it("writes leaves first, then every other manifest after its signature, manifest.json alone last", () => {
    const names = [
      "m.ko",
      "m.ko.asc",
      "vex-aa.json",
      "vex-aa.json.asc",
      "kernel-aa.canary.json",
      "kernel-aa.canary.json.asc",
      "kernel-aa.json",
      "kernel-aa.json.asc",
      "manifest.canary.json",
      "manifest.canary.json.asc",
      "manifest.json",
      "manifest.json.asc",
      "build-report-t.json",
    ];
    const steps = writeSteps(names.map((n) => f(n)));
    expect(steps.map((step) => step.map((chain) => chain.map((x) => x.name)))).toEqual([
      [["m.ko"], ["m.ko.asc"], ["vex-aa.json"], ["vex-aa.json.asc"], ["build-report-t.json"]],
      [
        ["manifest.canary.json.asc", "manifest.canary.json"],
        ["kernel-aa.canary.json.asc", "kernel-aa.canary.json"],
        ["kernel-aa.json.asc", "kernel-aa.json"],
      ],
      [["manifest.json.asc", "manifest.json"]],
    ]);
  });
});

describe("writeMirror", () => {
  it("keeps the previous manifest's modules, removes older ones and never touches foreign files", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lpctl-mirror-"));
    const manifestNaming = (file: string): ReleaseFile => {
      const m = sampleManifest();
      const k = m.kernels[0];
      if (k?.module) k.module.file = file;
      return f("manifest.json", canonicalJson(m));
    };
    await writeFile(join(dir, "index.html"), "mine");
    await writeMirror(dir, [
      f("v1.ko"),
      f("v1.ko.asc"),
      f("kernel-aa.json"),
      manifestNaming("v1.ko"),
    ]);
    await writeMirror(dir, [
      f("v2.ko"),
      f("v2.ko.asc"),
      f("kernel-bb.json"),
      manifestNaming("v2.ko"),
    ]);
    expect((await readdir(dir)).sort()).toEqual([
      "index.html",
      "kernel-bb.json",
      "manifest.json",
      "v1.ko",
      "v1.ko.asc",
      "v2.ko",
      "v2.ko.asc",
    ]);
    const third = await writeMirror(dir, [
      f("v2.ko"),
      f("v2.ko.asc"),
      f("v3.ko"),
      manifestNaming("v3.ko"),
    ]);
    expect(third.removed).toEqual(["kernel-bb.json", "v1.ko", "v1.ko.asc"]);
    expect(third.unchanged).toEqual(["v2.ko", "v2.ko.asc"]);
    expect(await readFile(join(dir, "index.html"), "utf8")).toBe("mine");
  });
});

describe("writeMirror on a path it cannot create", () => {
  it("is IO_FAILED naming the directory, not an untranslated error", async () => {
    const file = join(await mkdtemp(join(tmpdir(), "lpctl-mirror-")), "a-file");
    await writeFile(file, "x");
    await expect(writeMirror(join(file, "mirror"), [])).rejects.toMatchObject({
      code: "IO_FAILED",
      message: expect.stringContaining(
        `create the mirror directory ${join(file, "mirror")}`,
      ) as unknown,
    });
  });
});
