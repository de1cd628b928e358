/**
 * Uploads that must leave nothing behind: one past the size cap (413) and
 * one whose client disconnects halfway. Either way no asset is listed, no
 * temp file is left, and the forge keeps serving.
 */
import { request } from "node:http";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { octokit } from "@livepatch-gitops/test-support/test-forge";
import {
  pushFiles,
  startAreas,
  type AreasSetup,
} from "@livepatch-gitops/test-support/forge-areas-helpers";

let s: AreasSetup;
let uploadUrl: string;
let releaseId: number;
let token: string;

beforeAll(async () => {
  s = await startAreas({ limits: { uploadBytes: 4096 } });
  await pushFiles(s.t.forge.url, s.app.owner.token, "alice/demo", { "README.md": "hi\n" });
  token = await s.app.installationToken();
  const { data } = await octokit(s.t.forge, token).rest.repos.createRelease({
    owner: "alice",
    repo: "demo",
    tag_name: "v1",
  });
  uploadUrl = data.upload_url.replace(/\{.*\}$/, "");
  releaseId = data.id;
});
afterAll(() => s.stop());

async function assetCount(): Promise<number> {
  const gh = octokit(s.t.forge, token);
  return (
    await gh.rest.repos.listReleaseAssets({ owner: "alice", repo: "demo", release_id: releaseId })
  ).data.length;
}

async function tempFiles(): Promise<string[]> {
  return readdir(join(s.t.dataDir, "blobs", "tmp")).catch(() => []);
}

it("refuses an upload past the size cap with 413", async () => {
  const res = await fetch(`${uploadUrl}?name=big.bin`, {
    method: "POST",
    headers: { authorization: `token ${token}`, "content-type": "application/octet-stream" },
    body: new Uint8Array(8192),
  });
  expect(res.status).toBe(413);
  expect(await assetCount()).toBe(0);
  expect(await tempFiles()).toEqual([]);
});

it("leaves no asset when the client disconnects halfway through", async () => {
  const url = new URL(`${uploadUrl}?name=half.bin`);
  await new Promise<void>((resolve) => {
    const req = request(url, {
      method: "POST",
      headers: {
        authorization: `token ${token}`,
        "content-type": "application/octet-stream",
        "content-length": "4000",
      },
    });
    req.on("error", () => resolve());
    req.write(Buffer.alloc(2000), () => {
      req.destroy();
      resolve();
    });
  });
  await s.t.forge.waitIdle();
  // The forge still answers, and the half upload is nowhere.
  expect(await assetCount()).toBe(0);
  const ok = await fetch(`${uploadUrl}?name=half.bin`, {
    method: "POST",
    headers: { authorization: `token ${token}`, "content-type": "application/octet-stream" },
    body: new Uint8Array(100),
  });
  expect(ok.status).toBe(201);
  expect(await assetCount()).toBe(1);
  expect(await tempFiles()).toEqual([]);
});
