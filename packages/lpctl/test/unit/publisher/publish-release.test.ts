import { describe, expect, it } from "vitest";
import { isLpctlError } from "../../../src/core/errors.js";
import { publishRelease } from "../../../src/publisher/publish-release.js";
import type { ReleaseFile } from "../../../src/publisher/release-files.js";
import { memoryStore } from "./memory-store.js";

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const file = (name: string, text: string, accepts?: ReleaseFile["accepts"]): ReleaseFile => ({
  name,
  bytes: enc(text),
  contentType: "application/octet-stream",
  ...(accepts ? { accepts } : {}),
});
const FILES = [file("a.ko", "module"), file("a.ko.asc", "sig"), file("manifest.json", "{}")];

describe("publishRelease", () => {
  it("creates v<version>, uploads in order, then marks it latest", async () => {
    const store = memoryStore();
    const r = await publishRelease({ store, version: 3, commit: "abc", files: FILES });
    expect(r.release.tag).toBe("v3");
    expect(store.changes).toEqual([
      "create v3",
      "upload a.ko",
      "upload a.ko.asc",
      "upload manifest.json",
      "latest v3",
    ]);
  });

  it("is idempotent: a second run changes nothing but the latest mark", async () => {
    const store = memoryStore();
    await publishRelease({ store, version: 1, commit: "abc", files: FILES });
    store.changes.length = 0;
    const r = await publishRelease({ store, version: 1, commit: "abc", files: FILES });
    expect(r.skipped).toEqual(["a.ko", "a.ko.asc", "manifest.json"]);
    expect(store.changes).toEqual(["latest v1"]);
  });

  it("replaces a starter asset and uploads what is missing", async () => {
    const store = memoryStore();
    await publishRelease({ store, version: 1, commit: "abc", files: FILES.slice(0, 1) });
    const release = store.releases[0];
    release?.assets.push({ id: 99, name: "a.ko.asc", size: 1, state: "starter", bytes: enc("s") });
    store.changes.length = 0;
    const r = await publishRelease({ store, version: 1, commit: "abc", files: FILES });
    expect(r).toMatchObject({
      skipped: ["a.ko"],
      replaced: ["a.ko.asc"],
      uploaded: ["manifest.json"],
    });
    expect(store.changes).toEqual([
      "delete a.ko.asc",
      "upload a.ko.asc",
      "upload manifest.json",
      "latest v1",
    ]);
  });

  it("accepts an equivalent signature, refuses other changed content without changing anything", async () => {
    const store = memoryStore();
    await publishRelease({ store, version: 1, commit: "abc", files: FILES });
    store.changes.length = 0;
    const equivalent = [
      FILES[0],
      file("a.ko.asc", "sig, signed again", (old) =>
        Promise.resolve(new TextDecoder().decode(old) === "sig"),
      ),
      FILES[2],
    ].filter((f) => f !== undefined);
    expect(
      (await publishRelease({ store, version: 1, commit: "abc", files: equivalent })).skipped,
    ).toHaveLength(3);
    store.changes.length = 0;
    const changed = [file("a.ko", "other module"), file("new.ko", "x")];
    const error: unknown = await publishRelease({
      store,
      version: 1,
      commit: "abc",
      files: changed,
    }).catch((e: unknown) => e);
    expect(isLpctlError(error, "RELEASE_CONFLICT")).toBe(true);
    expect(store.changes).toEqual([]);
  });

  it("refuses to reuse a version's release for another commit", async () => {
    const store = memoryStore();
    await publishRelease({ store, version: 1, commit: "abc", files: FILES });
    await expect(
      publishRelease({ store, version: 1, commit: "def", files: FILES }),
    ).rejects.toMatchObject({ code: "RELEASE_CONFLICT" });
  });
});
