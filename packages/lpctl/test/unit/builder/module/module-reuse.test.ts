import { mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  keepForReuse,
  mayKeep,
  reuseEnabled,
  reuseKey,
  takeReused,
} from "../../../../src/builder/module/module-reuse.js";

const inputs = {
  kernelKey: "6c7c0f69f907",
  kpatchVersion: "0.9.9",
  name: "livepatch_debian_6_1_lab_7",
  patches: [
    { id: "a", sha256: "11" },
    { id: "b", sha256: "22" },
  ],
};

describe("module reuse", () => {
  it("is off unless LPCTL_REUSE_MODULES=1", () => {
    expect(reuseEnabled({})).toBe(false);
    expect(reuseEnabled({ LPCTL_REUSE_MODULES: "yes" })).toBe(false);
    expect(reuseEnabled({ LPCTL_REUSE_MODULES: "1" })).toBe(true);
  });

  it("keys on every input, patch order included", () => {
    const k = reuseKey(inputs);
    expect(reuseKey({ ...inputs })).toBe(k);
    expect(reuseKey({ ...inputs, kernelKey: "other" })).not.toBe(k);
    expect(reuseKey({ ...inputs, kpatchVersion: "0.9.10" })).not.toBe(k);
    expect(reuseKey({ ...inputs, name: "livepatch_debian_6_1_lab_8" })).not.toBe(k);
    expect(reuseKey({ ...inputs, patches: [...inputs.patches].reverse() })).not.toBe(k);
    expect(
      reuseKey({
        ...inputs,
        patches: [
          { id: "a", sha256: "12" },
          { id: "b", sha256: "22" },
        ],
      }),
    ).not.toBe(k);
  });

  it("gives back what was kept, and nothing for an unknown or half-written entry", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "lpctl-reuse-"));
    try {
      const built = path.join(dir, "built.ko");
      await writeFile(built, "module bytes");
      const key = reuseKey(inputs);
      const out = path.join(dir, "out.ko");
      expect(await takeReused(dir, key, out)).toBeUndefined();
      await keepForReuse(dir, key, built, ["line 1", "SUCCESS"]);
      expect(await takeReused(dir, key, out)).toEqual({ lines: ["line 1", "SUCCESS"] });
      expect(await readFile(out, "utf8")).toBe("module bytes");
      // An entry without its record (a crash while keeping) is a miss.
      await rm(path.join(dir, "modules", key, "record.json"));
      expect(await takeReused(dir, key, path.join(dir, "again.ko"))).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("reuses nothing that differs from the record kept with it", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "lpctl-reuse-"));
    try {
      const built = path.join(dir, "built.ko");
      await writeFile(built, "module bytes");
      const key = reuseKey(inputs);
      const entry = path.join(dir, "modules", key);
      const out = path.join(dir, "out.ko");
      await keepForReuse(dir, key, built, ["SUCCESS"]);
      // A module planted over the kept one, same length or not, is a miss: it is built again.
      await writeFile(path.join(entry, "module.ko"), "planted!bytes");
      expect(await takeReused(dir, key, out)).toBeUndefined();
      await writeFile(path.join(entry, "module.ko"), "module bytes");
      await writeFile(path.join(entry, "kpatch-output.txt"), "SUCCESS, trust me");
      expect(await takeReused(dir, key, out)).toBeUndefined();
      await writeFile(path.join(entry, "kpatch-output.txt"), "SUCCESS");
      expect(await takeReused(dir, key, out)).toEqual({ lines: ["SUCCESS"] });
      // An entry kept under another key (copied or renamed into place) is a miss.
      const other = reuseKey({ ...inputs, name: "livepatch_debian_6_1_lab_8" });
      await keepForReuse(dir, other, built, ["SUCCESS"]);
      await rm(entry, { recursive: true });
      await rename(path.join(dir, "modules", other), entry);
      expect(await takeReused(dir, key, out)).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("is never kept by a pull request's build", () => {
    expect(mayKeep({})).toBe(true);
    expect(mayKeep({ GITHUB_EVENT_NAME: "push" })).toBe(true);
    expect(mayKeep({ GITHUB_EVENT_NAME: "pull_request" })).toBe(false);
    expect(mayKeep({ GITHUB_EVENT_NAME: "pull_request_target" })).toBe(false);
  });
});
