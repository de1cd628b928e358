/** The files an upload-artifact `path:` zips, and their names, on a real filesystem. */
import { mkdir, mkdtemp, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { collect, writeZip } from "../../../src/runner/builtin-actions/zip-tree.js";
import { readZip } from "./fake-host.js";

let ws = "";
beforeAll(async () => {
  ws = await mkdtemp(path.join(os.tmpdir(), "lpctl-upload-"));
  await mkdir(path.join(ws, "out/t/modules"), { recursive: true });
  await writeFile(path.join(ws, "out/t/report.json"), "{}");
  await writeFile(path.join(ws, "out/t/modules/a.ko"), "ko");
  await writeFile(path.join(ws, "outside.txt"), "secret-ish");
  await symlink(path.join(ws, "outside.txt"), path.join(ws, "out/t/leak"));
  await symlink("report.json", path.join(ws, "out/t/alias.json"));
  await symlink(path.join(ws, "out/t/modules"), path.join(ws, "out/t/dirlink"));
});

const names = async (paths: string[]) => {
  const { entries, skipped } = await collect(paths.map((p) => path.join(ws, p)));
  return { names: entries.map((e) => e.name), skipped: skipped.map((s) => path.relative(ws, s)) };
};

describe("upload-artifact's files", () => {
  it("names a directory's files relative to it; follows links only inside it", async () => {
    expect(await names(["out/t"])).toEqual({
      names: ["alias.json", "modules/a.ko", "report.json"],
      skipped: ["out/t/dirlink", "out/t/leak"],
    });
  });

  it("names several paths relative to their common ancestor; a missing one is reported", async () => {
    expect(await names(["out/t/report.json", "out/t/modules/a.ko", "out/missing"])).toEqual({
      names: ["report.json", "modules/a.ko"],
      skipped: ["out/missing"],
    });
    expect((await names(["out/t/report.json"])).names).toEqual(["report.json"]);
    expect((await names(["out/missing"])).names).toEqual([]);
  });

  it("writes a zip yauzl reads back", async () => {
    const { entries } = await collect([path.join(ws, "out/t")]);
    const zip = path.join(ws, "a.zip");
    expect(await writeZip(entries, zip)).toBeGreaterThan(0);
    expect(await readZip(zip)).toEqual({
      "alias.json": "{}",
      "modules/a.ko": "ko",
      "report.json": "{}",
    });
  });
});
