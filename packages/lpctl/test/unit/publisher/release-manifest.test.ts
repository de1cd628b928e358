/** Reading a half-published release back: only manifests our key signed give the window. */
import { beforeAll, describe, expect, it } from "vitest";
import { resumeWindow } from "../../../src/publisher/release-manifest.js";
import {
  bytesOf,
  makeKey,
  NOW,
  sampleManifest,
  utf8,
  type TestKey,
} from "@livepatch-gitops/test-support/test-keys";
import { memoryStore, type MemoryStore } from "./memory-store.js";

let own: TestKey;
let stranger: TestKey;
beforeAll(async () => {
  [own, stranger] = await Promise.all([makeKey("own"), makeKey("stranger")]);
});

const m = sampleManifest({ version: 7 });
const rules = { version: 7, now: NOW, lifetimeDays: 14 };

async function release(files: Record<string, Uint8Array>): Promise<MemoryStore> {
  const store = memoryStore();
  const r = await store.createRelease({ tag: "v7", commit: "c", name: "v7", body: "" });
  for (const [name, bytes] of Object.entries(files)) await store.uploadAsset(r, name, bytes, "x");
  return store;
}

describe("resumeWindow", () => {
  it("takes the window from a manifest our key signed, ignoring one without its .asc", async () => {
    const bytes = bytesOf(m);
    const store = await release({
      "kernel-aa.json": bytes,
      "kernel-aa.json.asc": utf8(await own.sign(bytes)),
      "kernel-bb.json": bytesOf({ ...m, expires: "2999-01-01T00:00:00.000Z" }),
    });
    expect(await resumeWindow(store, "v7", [own.publicKey], rules)).toEqual({
      issued: m.issued,
      expires: m.expires,
    });
  });

  it("refuses a signed manifest that does not verify with our key", async () => {
    const bytes = bytesOf(m);
    const store = await release({
      "kernel-aa.json": bytes,
      "kernel-aa.json.asc": utf8(await stranger.sign(bytes)),
    });
    await expect(resumeWindow(store, "v7", [own.publicKey], rules)).rejects.toMatchObject({
      code: "PREVIOUS_UNVERIFIED",
    });
  });

  it("is undefined for a release that has no signed manifest yet", async () => {
    const store = await release({ "a.ko": utf8("module") });
    expect(await resumeWindow(store, "v7", [own.publicKey], rules)).toBeUndefined();
    expect(await resumeWindow(store, "v8", [own.publicKey], rules)).toBeUndefined();
  });
});
