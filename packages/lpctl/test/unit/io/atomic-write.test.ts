import { mkdir, mkdtemp, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeFileAtomic } from "../../../src/io/atomic-write.js";

describe("writeFileAtomic", () => {
  it("replaces the content and leaves no temp file behind", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lp-atomic-"));
    const file = join(dir, "state.json");
    await writeFile(file, "old\n");
    await writeFileAtomic(file, "new\n", 0o600);
    expect(await readFile(file, "utf8")).toBe("new\n");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(["state.json"]);
  });

  it("fails without touching anything when the directory does not exist", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lp-atomic-"));
    await expect(writeFileAtomic(join(dir, "missing", "f"), "x")).rejects.toThrow(/ENOENT/);
    expect(await readdir(dir)).toEqual([]);
  });

  it("keeps the old content when the target cannot be replaced", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lp-atomic-"));
    const target = join(dir, "taken");
    // A non-empty directory under the target name makes rename fail.
    await writeFile(join(dir, "keep"), "k");
    await mkdir(join(target, "sub"), { recursive: true });
    await expect(writeFileAtomic(target, "x")).rejects.toThrow();
    expect((await readdir(dir)).sort()).toEqual(["keep", "taken"]);
  });
});
