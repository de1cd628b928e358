import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { AptArchive, DebInfo } from "../../../../src/builder/source/apt-archive.js";
import { parseMadison, parseShow } from "../../../../src/builder/source/apt-archive.js";
import {
  debPath,
  obtainDeb,
  resolveDebianSource,
} from "../../../../src/builder/source/debian-source.js";

const sha = (s: string) => createHash("sha256").update(s).digest("hex");

/** An archive whose indexes list `listed` only after update() when `stale` is set. */
function fakeArchive(listed: Record<string, string>, o: { stale?: boolean; bytes?: string } = {}) {
  const calls: string[] = [];
  let updated = !o.stale;
  const info = (version: string): DebInfo => ({
    package: "linux-source-6.1",
    version,
    sha256: sha(listed[version] ?? ""),
    size: 3,
    filename: `pool/linux-source-6.1_${version}_all.deb`,
  });
  const archive: AptArchive = {
    update() {
      calls.push("update");
      updated = true;
      return Promise.resolve();
    },
    versions() {
      calls.push("versions");
      return Promise.resolve(updated ? Object.keys(listed) : []);
    },
    show(_pkg, version) {
      calls.push(`show ${version}`);
      return Promise.resolve(updated && version in listed ? info(version) : undefined);
    },
    download(_pkg, version, dir) {
      calls.push(`download ${version}`);
      const path = join(dir, `linux-source-6.1_${version}_all.deb`);
      writeFileSync(path, o.bytes ?? listed[version] ?? "");
      return Promise.resolve(path);
    },
  };
  return { archive, calls };
}

const dir = () => mkdtempSync(join(tmpdir(), "lpctl-deb-"));
const archiveNow = { "6.1.192-3": "deb-3", "6.1.192-2": "deb-2", "6.1.187-1": "deb-187" };

describe("resolveDebianSource", () => {
  it("a pinned version the indexes list: no refresh", async () => {
    const { archive, calls } = fakeArchive(archiveNow);
    const r = await resolveDebianSource(
      { package: "linux-source-6.1", version: "6.1.192-2" },
      { archive, dir: dir() },
    );
    expect(r).toMatchObject({ version: "6.1.192-2", sha256: sha("deb-2"), pinned: true });
    expect(calls).toEqual(["show 6.1.192-2"]);
  });

  it("stale indexes (a fresh machine's): refreshed once, then found", async () => {
    const { archive, calls } = fakeArchive(archiveNow, { stale: true });
    const r = await resolveDebianSource(
      { package: "linux-source-6.1", version: "6.1.192-2" },
      { archive, dir: dir() },
    );
    expect(r.version).toBe("6.1.192-2");
    expect(calls).toEqual(["show 6.1.192-2", "update", "show 6.1.192-2"]);
  });

  it("a pin the archive no longer has: SOURCE_VERSION_UNAVAILABLE naming the pin, what there is and the ways out", async () => {
    const { archive } = fakeArchive(archiveNow);
    const err = await resolveDebianSource(
      { package: "linux-source-6.1", version: "6.1.170-3" },
      { archive, dir: dir() },
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: "SOURCE_VERSION_UNAVAILABLE",
      details: {
        package: "linux-source-6.1",
        pinned: "6.1.170-3",
        available: Object.keys(archiveNow),
      },
    });
    const msg = (err as Error).message;
    expect(msg).toContain("linux-source-6.1 6.1.170-3");
    expect(msg).toContain("6.1.192-3, 6.1.192-2, 6.1.187-1");
    expect(msg).toMatch(/snapshot or a local mirror/);
    expect(msg).toMatch(/file:\/\/ path with its sha256/);
    expect(msg).toMatch(/lpctl target bump/);
  });

  it("a package the sources do not know at all says so", async () => {
    const { archive } = fakeArchive({});
    await expect(
      resolveDebianSource({ package: "linux-source-6.1", version: "1" }, { archive, dir: dir() }),
    ).rejects.toThrow(/do not list linux-source-6\.1 at all/);
  });

  it("no version pinned: the newest by Debian ordering, after a refresh, marked unpinned", async () => {
    const { archive, calls } = fakeArchive(archiveNow, { stale: true });
    const r = await resolveDebianSource({ package: "linux-source-6.1" }, { archive, dir: dir() });
    expect(r).toMatchObject({ version: "6.1.192-3", pinned: false });
    expect(calls[0]).toBe("update");
  });

  it("a pinned version already downloaded resolves from its record, without apt", async () => {
    const d = dir();
    const first = fakeArchive(archiveNow);
    const r = await resolveDebianSource(
      { package: "linux-source-6.1", version: "6.1.192-2" },
      { archive: first.archive, dir: d },
    );
    await obtainDeb(r, { archive: first.archive, dir: d });
    const again = fakeArchive({});
    const r2 = await resolveDebianSource(
      { package: "linux-source-6.1", version: "6.1.192-2" },
      { archive: again.archive, dir: d },
    );
    expect(r2).toMatchObject({ version: "6.1.192-2", sha256: sha("deb-2") });
    expect(again.calls).toEqual([]);
  });
});

describe("obtainDeb", () => {
  it("two pinned versions of one package sit side by side in the cache", async () => {
    const d = dir();
    const { archive } = fakeArchive(archiveNow);
    for (const version of ["6.1.192-2", "6.1.192-3"]) {
      const r = await resolveDebianSource(
        { package: "linux-source-6.1", version },
        { archive, dir: d },
      );
      expect(await obtainDeb(r, { archive, dir: d })).toBe(debPath(d, "linux-source-6.1", version));
    }
    expect(
      readdirSync(d)
        .filter((f) => f.endsWith(".deb"))
        .sort(),
    ).toEqual(["linux-source-6.1_6.1.192-2.deb", "linux-source-6.1_6.1.192-3.deb"]);
  });

  it("downloaded bytes that differ from the index: SOURCE_DIGEST_MISMATCH and nothing kept", async () => {
    const d = dir();
    const { archive } = fakeArchive(archiveNow, { bytes: "tampered" });
    const r = await resolveDebianSource(
      { package: "linux-source-6.1", version: "6.1.192-2" },
      { archive, dir: d },
    );
    await expect(obtainDeb(r, { archive, dir: d })).rejects.toMatchObject({
      code: "SOURCE_DIGEST_MISMATCH",
      details: { expected: sha("deb-2"), actual: sha("tampered") },
    });
    expect(existsSync(debPath(d, "linux-source-6.1", "6.1.192-2"))).toBe(false);
    expect(readdirSync(d).filter((f) => !f.endsWith(".lock"))).toEqual([]);
  });
});

describe("apt output parsers", () => {
  it("madison: versions of the asked package only", () => {
    const out =
      "linux-source-6.1 |  6.1.192-3 | http://example.invalid/debian-security bookworm-security/main amd64 Packages\n" +
      "linux-source-6.1 |  6.1.176-1 | http://example.invalid/debian bookworm/main amd64 Packages\n" +
      "other | 1.0 | x\n";
    expect(parseMadison(out, "linux-source-6.1")).toEqual(["6.1.192-3", "6.1.176-1"]);
  });

  it("show: the first stanza's digest, size and pool path; another version or a bad digest is no entry", () => {
    const out = `Package: p\nVersion: 1-1\nSize: 10\nSHA256: ${sha("x")}\nFilename: pool/p_1-1_all.deb\n\nPackage: p\nVersion: 1-1\n`;
    expect(parseShow(out, "p", "1-1")).toEqual({
      package: "p",
      version: "1-1",
      sha256: sha("x"),
      size: 10,
      filename: "pool/p_1-1_all.deb",
    });
    expect(parseShow(out, "p", "2-1")).toBeUndefined();
    expect(parseShow("Version: 1-1\nSHA256: nothex\n", "p", "1-1")).toBeUndefined();
  });
});
