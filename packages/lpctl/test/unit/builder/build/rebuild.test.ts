import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { BuildResult } from "../../../../src/builder/build/build.js";
import { rebuildEntry, serialOf } from "../../../../src/builder/build/rebuild.js";
import type { ModuleEntry } from "../../../../src/core/manifest.js";
import { fakeRunner } from "../helpers/fake-runner.js";

const commit = "a".repeat(40);
const entry: ModuleEntry = {
  target: "debian-6.1-lab",
  release: "6.1.192",
  arch: "x86_64",
  buildId: "ab".repeat(20),
  module: {
    file: "lp_debian_6_1_lab_7.ko",
    name: "lp_debian_6_1_lab_7",
    sha256: "1".repeat(64),
    length: 10,
  },
  commit,
  patches: [{ id: "cmdline-banner", title: "t", cves: [] }],
};

const built = (sha256: string, buildId = entry.buildId) =>
  ({
    report: { buildId, module: { sha256 } },
    reportPath: "",
  }) as unknown as BuildResult;

function deps(result: BuildResult, gitExit = 0) {
  const calls: unknown[] = [];
  return {
    calls,
    o: {
      runner: fakeRunner({
        git: () => (gitExit === 0 ? {} : { exitCode: gitExit, stderr: "fatal: not a tree object" }),
        tar: () => ({}),
      }),
      gitDir: "/repo",
      scratchDir: mkdtempSync(join(tmpdir(), "lpctl-rb-")),
      build: (b: unknown) => {
        calls.push(b);
        return Promise.resolve(result);
      },
    },
  };
}

describe("rebuildEntry", () => {
  it("builds the recorded commit's patches under the published module name and compares", async () => {
    const d = deps(built(entry.module.sha256));
    const r = await rebuildEntry(entry, d.o);
    expect(r).toMatchObject({ reproduced: true, commit, actual: entry.module.sha256 });
    expect(d.calls[0]).toMatchObject({
      targetId: "debian-6.1-lab",
      patchIds: ["cmdline-banner"],
      serial: "7",
    });
  });

  it("other bytes, or another kernel build-id, are not reproduced", async () => {
    expect((await rebuildEntry(entry, deps(built("2".repeat(64))).o)).reproduced).toBe(false);
    expect(
      (await rebuildEntry(entry, deps(built(entry.module.sha256, "cd".repeat(20))).o)).reproduced,
    ).toBe(false);
  });

  it("an entry without a commit, or a commit the checkout lacks, is a clear error", async () => {
    const { commit: _c, ...old } = entry;
    await expect(rebuildEntry(old, deps(built("")).o)).rejects.toThrow(/records no commit/);
    await expect(rebuildEntry(entry, deps(built(""), 128).o)).rejects.toMatchObject({
      code: "SOURCE_UNAVAILABLE",
      message: expect.stringContaining(`git fetch origin ${commit}`) as unknown,
    });
  });

  it("reads the serial back from an lpctl module name", () => {
    expect(serialOf("debian-6.1-lab", "lp_debian_6_1_lab_12")).toBe("12");
    expect(() => serialOf("debian-6.1-lab", "livepatch_foo")).toThrow(/not lp_<target>_<serial>/);
  });
});
