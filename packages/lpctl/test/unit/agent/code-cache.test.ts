import { mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { codeCacheDir, readCodeCache, writeCodeCache } from "../../../src/agent/code-cache.js";

/** A fake root with its state dir, and the cache dir in it. */
async function stateRoot(): Promise<{ root: string; dir: string }> {
  const root = await mkdtemp(path.join(os.tmpdir(), "lpctl-code-cache-"));
  await mkdir(path.join(root, "var/lib/lpctl"), { recursive: true });
  return { root, dir: codeCacheDir(["status", "--root", root], {}) };
}

describe("codeCacheDir", () => {
  it("is code-cache in the default state dir under --root, --root=, $LPCTL_ROOT or /", () => {
    expect(codeCacheDir(["sync", "--root", "/r"], {})).toBe("/r/var/lib/lpctl/code-cache");
    expect(codeCacheDir(["sync", "--root=/r2", "--json"], { LPCTL_ROOT: "/e" })).toBe(
      "/r2/var/lib/lpctl/code-cache",
    );
    expect(codeCacheDir(["sync"], { LPCTL_ROOT: "/e" })).toBe("/e/var/lib/lpctl/code-cache");
    expect(codeCacheDir(["sync", "--offline"], {})).toBe("/var/lib/lpctl/code-cache");
  });
});

describe("readCodeCache / writeCodeCache", () => {
  it("keeps the bytes of one bundle and Node version, and removes other bundles' caches", async () => {
    const { dir } = await stateRoot();
    expect(readCodeCache(dir, "aaaa")).toBeUndefined();
    expect(writeCodeCache(dir, "aaaa", () => Buffer.from("old bytecode"))).toBe(true);
    expect(writeCodeCache(dir, "bbbb", () => Buffer.from("bytecode"))).toBe(true);
    expect(readCodeCache(dir, "bbbb")?.toString()).toBe("bytecode");
    expect(readCodeCache(dir, "aaaa")).toBeUndefined();
    expect(await readdir(dir)).toEqual([`agent-bbbb-${process.version}-${process.arch}.bin`]);
  });

  it("ignores a damaged or empty cache", async () => {
    const { dir } = await stateRoot();
    writeCodeCache(dir, "cccc", () => Buffer.from("bytecode"));
    const file = path.join(dir, (await readdir(dir))[0]);
    const bytes = await readFile(file);
    bytes[bytes.length - 1] ^= 1;
    await writeFile(file, bytes);
    expect(readCodeCache(dir, "cccc")).toBeUndefined();
    await writeFile(file, bytes.subarray(0, 32));
    expect(readCodeCache(dir, "cccc")).toBeUndefined();
    await writeFile(file, "short");
    expect(readCodeCache(dir, "cccc")).toBeUndefined();
  });

  it("writes nothing, and produces no bytecode, without a state dir", async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), "lpctl-code-cache-"));
    const dir = codeCacheDir(["--root", root], {});
    let produced = false;
    const wrote = writeCodeCache(dir, "dddd", () => {
      produced = true;
      return Buffer.from("x");
    });
    expect({ wrote, produced }).toEqual({ wrote: false, produced: false });
    expect(await readdir(root)).toEqual([]);
  });
});
