import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpFetcher } from "@livepatch-gitops/lpctl/agent/http-fetcher";
import { octokit } from "@livepatch-gitops/test-support/test-forge";
import {
  pushFiles,
  received,
  startAreas,
  type AreasSetup,
} from "@livepatch-gitops/test-support/forge-areas-helpers";
import type { Octokit } from "@octokit/rest";

let s: AreasSetup;
let gh: Octokit;
const base = { owner: "alice", repo: "demo" };

beforeAll(async () => {
  s = await startAreas();
  await pushFiles(s.t.forge.url, s.app.owner.token, "alice/demo", { "README.md": "hi\n" });
  gh = octokit(s.t.forge, await s.app.installationToken());
});
afterAll(() => s.stop());

/** The status and body of a request that must be refused. */
async function refusal(
  p: Promise<unknown>,
): Promise<{ status: number; data: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    const f = e as { status: number; response: { data: Record<string, unknown> } };
    return { status: f.status, data: f.response.data };
  }
  throw new Error("the request succeeded");
}

async function upload(uploadUrl: string, name: string, bytes: Uint8Array) {
  return gh.rest.repos.uploadReleaseAsset({
    owner: "alice",
    repo: "demo",
    release_id: 0,
    url: uploadUrl,
    name,
    data: bytes as unknown as string,
    headers: { "content-type": "application/octet-stream", "content-length": bytes.length },
  });
}

describe("releases", () => {
  it("creates, refuses a duplicate tag, finds latest and by tag, updates and deletes", async () => {
    const { data: v1 } = await gh.rest.repos.createRelease({
      ...base,
      tag_name: "v1",
      name: "one",
    });
    expect(v1).toMatchObject({ tag_name: "v1", draft: false, target_commitish: "main" });
    expect(v1.upload_url).toBe(
      `${s.t.forge.uploadsUrl}/repos/alice/demo/releases/${v1.id}/assets{?name,label}`,
    );
    const dup = await refusal(gh.rest.repos.createRelease({ ...base, tag_name: "v1" }));
    expect(dup.status).toBe(422);
    expect(dup.data.errors).toEqual([
      { resource: "Release", code: "already_exists", field: "tag_name" },
    ]);
    const { data: v2 } = await gh.rest.repos.createRelease({
      ...base,
      tag_name: "v2",
      make_latest: "false",
    });
    expect((await gh.rest.repos.getLatestRelease(base)).data.id).toBe(v1.id);
    await gh.rest.repos.updateRelease({
      ...base,
      release_id: v2.id,
      make_latest: "true",
      name: "two",
    });
    expect((await gh.rest.repos.getLatestRelease(base)).data).toMatchObject({
      id: v2.id,
      name: "two",
    });
    await gh.rest.repos.createRelease({ ...base, tag_name: "v3-rc", prerelease: true });
    const { data: draft } = await gh.rest.repos.createRelease({
      ...base,
      tag_name: "v4",
      draft: true,
    });
    expect(draft.published_at).toBeNull();
    expect((await gh.rest.repos.getLatestRelease(base)).data.id).toBe(v2.id);
    expect((await gh.rest.repos.getReleaseByTag({ ...base, tag: "v1" })).data.id).toBe(v1.id);
    const anon = octokit(s.t.forge);
    const publicList = await anon.rest.repos.listReleases(base);
    expect(publicList.data.map((r) => r.tag_name)).not.toContain("v4");
    const page = await gh.rest.repos.listReleases({ ...base, per_page: 2 });
    expect(page.data).toHaveLength(2);
    expect(page.headers.link).toContain('rel="next"');
    const all = await gh.paginate(gh.rest.repos.listReleases, { ...base, per_page: 2 });
    expect(all.map((r) => r.tag_name).sort()).toEqual(["v1", "v2", "v3-rc", "v4"]);
    await gh.rest.repos.updateRelease({
      ...base,
      release_id: draft.id,
      draft: false,
      make_latest: "false",
    });
    expect((await gh.rest.repos.getLatestRelease(base)).data.id).toBe(v2.id);
    await gh.rest.repos.deleteRelease({ ...base, release_id: v2.id });
    expect((await refusal(gh.rest.repos.getRelease({ ...base, release_id: v2.id }))).status).toBe(
      404,
    );
    await s.t.forge.waitIdle();
    const actions = received(s.hooks, "release").map(
      (p) => `${String(p.action)}:${String((p.release as { tag_name: string }).tag_name)}`,
    );
    expect(actions).toEqual(
      expect.arrayContaining([
        "created:v1",
        "published:v1",
        "edited:v2",
        "created:v4",
        "published:v4",
        "deleted:v2",
      ]),
    );
  });

  it("uploads through upload_url, refuses a duplicate name with already_exists, deletes and re-uploads", async () => {
    const { data: rel } = await gh.rest.repos.createRelease({ ...base, tag_name: "assets-1" });
    const bytes = new TextEncoder().encode("manifest bytes\n");
    const { data: a } = await upload(rel.upload_url, "manifest.json", bytes);
    expect(a).toMatchObject({
      name: "manifest.json",
      size: bytes.length,
      state: "uploaded",
      content_type: "application/octet-stream",
      digest: `sha256:${createHash("sha256").update(bytes).digest("hex")}`,
      browser_download_url: `${s.t.forge.url}/alice/demo/releases/download/assets-1/manifest.json`,
    });
    const dup = await refusal(upload(rel.upload_url, "manifest.json", bytes));
    expect(dup.status).toBe(422);
    expect(dup.data).toMatchObject({
      message: "Validation Failed",
      errors: [{ resource: "ReleaseAsset", code: "already_exists", field: "name" }],
    });
    expect(dup.data.documentation_url).toEqual(expect.any(String));
    const list = await gh.rest.repos.listReleaseAssets({ ...base, release_id: rel.id });
    expect(list.data.map((x) => x.name)).toEqual(["manifest.json"]);
    await gh.rest.repos.deleteReleaseAsset({ ...base, asset_id: a.id });
    const again = await upload(rel.upload_url, "manifest.json", bytes);
    expect(again.status).toBe(201);
    const { data: renamed } = await gh.rest.repos.updateReleaseAsset({
      ...base,
      asset_id: again.data.id,
      label: "The manifest",
    });
    expect(renamed.label).toBe("The manifest");
    const { data: meta } = await gh.rest.repos.getReleaseAsset({
      ...base,
      asset_id: again.data.id,
    });
    expect(meta).toMatchObject({ name: "manifest.json", label: "The manifest" });
    for (const bad of ["../evil", "a/b", "x\u0001y", ".."]) {
      const err = await refusal(upload(rel.upload_url, bad, bytes));
      expect(err.status, bad).toBe(422);
    }
    const after = await gh.rest.repos.listReleaseAssets({ ...base, release_id: rel.id });
    expect(after.data).toHaveLength(1);
  });

  it("fault switch: an upload stopped halfway leaves an `open` asset, no digest, and blocks its name", async () => {
    const { data: rel } = await gh.rest.repos.createRelease({ ...base, tag_name: "assets-2" });
    const bytes = new TextEncoder().encode("0123456789abcdef");
    s.t.forge.setFault({
      method: "POST",
      route: /\/assets\?name=half\.bin(&|$)/,
      status: 502,
      times: 1,
      interruptUpload: true,
    });
    // Another name is not matched by the fault.
    expect((await upload(rel.upload_url, "whole.bin", bytes)).data.state).toBe("uploaded");
    expect((await refusal(upload(rel.upload_url, "half.bin", bytes))).status).toBe(502);
    const { data: list } = await gh.rest.repos.listReleaseAssets({ ...base, release_id: rel.id });
    const half = list.find((a) => a.name === "half.bin");
    expect(half).toMatchObject({ state: "open", size: bytes.length / 2, digest: null });
    // As on GitHub, the leftover holds the name until it is deleted.
    expect((await refusal(upload(rel.upload_url, "half.bin", bytes))).status).toBe(422);
    await gh.rest.repos.deleteReleaseAsset({ ...base, asset_id: half?.id ?? 0 });
    expect((await upload(rel.upload_url, "half.bin", bytes)).data).toMatchObject({
      state: "uploaded",
      size: bytes.length,
    });
  });

  it("round-trips 1 MB through the API and the public URL, with ETag, 304 and latest/download", async () => {
    const { data: rel } = await gh.rest.repos.createRelease({ ...base, tag_name: "big-1" });
    const big = randomBytes(1024 * 1024);
    const { data: asset } = await upload(rel.upload_url, "module.ko", big);
    expect(asset.size).toBe(big.length);
    const viaApi = await gh.rest.repos.getReleaseAsset({
      ...base,
      asset_id: asset.id,
      headers: { accept: "application/octet-stream" },
    });
    expect(Buffer.from(viaApi.data as unknown as ArrayBuffer).equals(big)).toBe(true);

    const first = await fetch(asset.browser_download_url, { redirect: "manual" });
    expect(first.status).toBe(302);
    const location = first.headers.get("location") ?? "";
    // Host-relative: clients resolve it against the name they used for the forge.
    expect(location).toMatch(/^\/_storage\/asset\/\d+\?expires=\d+&sig=[0-9a-f]{64}$/);
    const storage = new URL(location, asset.browser_download_url).href;
    const res = await fetch(storage);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/octet-stream");
    expect(res.headers.get("content-length")).toBe(String(big.length));
    expect(res.headers.get("last-modified")).toEqual(expect.any(String));
    const etag = res.headers.get("etag") ?? "";
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    expect(Buffer.from(await res.arrayBuffer()).equals(big)).toBe(true);
    const cached = await fetch(asset.browser_download_url, { headers: { "if-none-match": etag } });
    expect(cached.status).toBe(304);
    const since = await fetch(storage, {
      headers: { "if-modified-since": res.headers.get("last-modified") ?? "" },
    });
    expect(since.status).toBe(304);

    const head = await fetch(storage, { method: "HEAD" });
    expect([head.status, head.headers.get("content-length")]).toEqual([200, String(big.length)]);
    const tampered = storage.replace(
      /sig=([0-9a-f])/,
      (_m, c: string) => `sig=${c === "0" ? "1" : "0"}`,
    );
    expect((await fetch(tampered)).status).toBe(403);
    const otherObject = storage.replace(
      /asset\/(\d+)/,
      (_m, id: string) => `asset/${Number(id) + 1}`,
    );
    expect((await fetch(otherObject)).status).toBe(403);
    const expired = storage.replace(/expires=\d+/, "expires=1000");
    expect((await fetch(expired)).status).toBe(403);

    const { data: newer } = await gh.rest.repos.createRelease({ ...base, tag_name: "big-2" });
    await upload(newer.upload_url, "module.ko", new TextEncoder().encode("newer"));
    const latest = await fetch(`${s.t.forge.url}/alice/demo/releases/latest/download/module.ko`);
    expect(await latest.text()).toBe("newer");
    expect(
      (await fetch(`${s.t.forge.url}/alice/demo/releases/download/big-1/missing`)).status,
    ).toBe(404);
  });

  it("serves the agent's HTTP fetcher: redirect, bytes, conditional refetch, not-found", async () => {
    const { data: rel } = await gh.rest.repos.createRelease({ ...base, tag_name: "agent-1" });
    await upload(rel.upload_url, "manifest.json", new TextEncoder().encode('{"v":1}'));
    const fetcher = httpFetcher(`${s.t.forge.url}/alice/demo/releases/latest/download/`);
    const got = await fetcher.fetch({ name: "manifest.json", maxBytes: 1024 });
    expect(got.status).toBe("ok");
    if (got.status !== "ok") return;
    expect(Buffer.from(got.body).toString()).toBe('{"v":1}');
    expect(got.etag).toMatch(/^"[0-9a-f]{64}"$/);
    const again = await fetcher.fetch({
      name: "manifest.json",
      maxBytes: 1024,
      ...(got.etag !== undefined ? { etag: got.etag } : {}),
    });
    expect(again.status).toBe("not-modified");
    expect((await fetcher.fetch({ name: "nope.json", maxBytes: 1024 })).status).toBe("not-found");
    const tooSmall = await fetcher
      .fetch({ name: "manifest.json", maxBytes: 3 })
      .catch((e: { code: string }) => e.code);
    expect(tooSmall).toBe("DOWNLOAD_TOO_LARGE");
  });

  it("kept every response and webhook within GitHub's schemas", async () => {
    await s.t.forge.waitIdle();
    const violations = (await s.t.forge.deliveries())
      .filter((d) => d.violation)
      .map((d) => d.violation);
    expect([...s.conf.violations, ...violations]).toEqual([]);
    expect(s.conf.checked).toContain("POST /repos/{owner}/{repo}/releases/{release_id}/assets 201");
    expect(s.conf.checked).toContain("webhook release-published");
  });
});
