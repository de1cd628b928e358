import { request } from "node:http";
import { Octokit } from "@octokit/rest";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cloneRepo } from "./git-client.js";
import {
  installTestApp,
  octokit,
  startReceiver,
  startTestForge,
  type InstalledApp,
  type TestForge,
} from "@livepatch-gitops/test-support/test-forge";

let t: TestForge;
let hooks: Awaited<ReturnType<typeof startReceiver>>;
let app: InstalledApp;
let token: string;
const repo = { owner: "alice", repo: "demo" };

beforeAll(async () => {
  t = await startTestForge();
  hooks = await startReceiver();
  // Only push events: the 250 comments below need no deliveries.
  app = await installTestApp(t.forge, hooks.url, { events: ["push"] });
  const c = await cloneRepo(`${t.forge.url}/alice/demo.git`, app.owner.token);
  await c.write("README.md", "hello\n");
  await c.write("docs/guide.md", "guide\n");
  await c.commitAll("first");
  await c.git("push", "--quiet", "origin", "main");
  await c.git("checkout", "--quiet", "-b", "topic");
  await c.write("docs/guide.md", "guide 2\n");
  await c.commitAll("second");
  await c.git("push", "--quiet", "origin", "topic");
  token = await app.installationToken();
});
afterAll(async () => {
  await t.stop();
  await hooks.close();
});

const raw = (path: string, init: RequestInit = {}) =>
  fetch(`${t.forge.apiUrl}${path}`, {
    ...init,
    headers: {
      authorization: `token ${token}`,
      "content-type": "application/json",
      ...(init.headers ?? {}),
    },
  });

function rawStatus(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port: t.forge.port, path, headers: { authorization: `token ${token}` } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on("error", reject);
    req.end();
  });
}

describe("GitHub's HTTP conventions", () => {
  it("paginates 250 items with GitHub's Link header", async () => {
    const gh = octokit(t.forge, token);
    await gh.rest.pulls.create({ ...repo, title: "t", head: "topic", base: "main" });
    for (let batch = 0; batch < 250; batch += 25) {
      await Promise.all(
        Array.from({ length: 25 }, (_, i) =>
          gh.rest.issues.createComment({ ...repo, issue_number: 1, body: `c${batch + i}` }),
        ),
      );
    }
    const res = await raw("/repos/alice/demo/issues/1/comments?per_page=100&page=2");
    const link = res.headers.get("link") ?? "";
    const base = `${t.forge.apiUrl}/repos/alice/demo/issues/1/comments?per_page=100&page=`;
    expect(link).toBe(
      `<${base}1>; rel="prev", <${base}3>; rel="next", <${base}3>; rel="last", <${base}1>; rel="first"`,
    );
    expect(((await res.json()) as unknown[]).length).toBe(100);
    const all = await gh.paginate(gh.rest.issues.listComments, {
      ...repo,
      issue_number: 1,
      per_page: 100,
    });
    expect(all.map((x) => x.body).sort()).toEqual(
      Array.from({ length: 250 }, (_, i) => `c${i}`).sort(),
    );
    expect(all.map((x) => x.id)).toEqual([...all.map((x) => x.id)].sort((a, b) => a - b));
    expect(res.headers.get("x-ratelimit-limit")).toMatch(/^\d+$/);
    expect(res.headers.get("x-github-request-id")).toMatch(/^[0-9A-F]+$/);
  });

  it("answers bad input with GitHub's status codes and bodies", async () => {
    const bad = await raw("/repos/alice/demo/pulls", { method: "POST", body: "{not json" });
    expect([bad.status, await bad.json()]).toEqual([
      400,
      expect.objectContaining({ message: "Problems parsing JSON" }),
    ]);
    const missing = await raw("/repos/alice/demo/pulls", {
      method: "POST",
      body: JSON.stringify({ head: "topic" }),
    });
    expect(missing.status).toBe(422);
    expect(await missing.json()).toMatchObject({
      message: 'Invalid request.\n\n"title" wasn\'t supplied.',
      documentation_url: expect.any(String) as unknown,
    });
    const huge = await raw("/repos/alice/demo/issues/1/comments", {
      method: "POST",
      body: JSON.stringify({ body: "x".repeat(1024 * 1024 + 10) }),
    });
    expect(huge.status).toBe(413);
    expect((await raw("/repos/alice/nope")).status).toBe(404);
    expect((await raw("/repos/alice/demo/pulls/999")).status).toBe(404);
    // The forge keeps serving after all of that.
    expect((await raw("/repos/alice/demo")).status).toBe(200);
  });

  it("serves contents at a ref, directories, raw bytes, and refuses traversal", async () => {
    const gh = octokit(t.forge, token);
    const { data: file } = await gh.rest.repos.getContent({
      ...repo,
      path: "docs/guide.md",
      ref: "topic",
    });
    expect(Buffer.from((file as { content: string }).content, "base64").toString()).toBe(
      "guide 2\n",
    );
    const { data: dir } = await gh.rest.repos.getContent({ ...repo, path: "" });
    expect((dir as { name: string; type: string }[]).map((e) => [e.name, e.type])).toEqual([
      ["README.md", "file"],
      ["docs", "dir"],
    ]);
    const rawText = await gh.rest.repos.getContent({
      ...repo,
      path: "README.md",
      mediaType: { format: "raw" },
    });
    expect(rawText.data).toBe("hello\n");
    // Sent byte for byte (fetch would normalise dot segments away).
    for (const path of [
      "docs/../README.md",
      "../x",
      "docs//guide.md",
      "docs%2F..%2FREADME.md",
      "missing.txt",
    ]) {
      expect([path, await rawStatus(`/api/v3/repos/alice/demo/contents/${path}`)]).toEqual([
        path,
        404,
      ]);
    }
    expect((await raw("/repos/alice/demo/contents/README.md?ref=no-such-branch")).status).toBe(404);
    const { data: cmp } = await gh.rest.repos.compareCommitsWithBasehead({
      ...repo,
      basehead: "main...topic",
    });
    expect(cmp).toMatchObject({
      status: "ahead",
      ahead_by: 1,
      behind_by: 0,
      files: [
        expect.objectContaining({
          filename: "docs/guide.md",
          patch: expect.stringContaining("+guide 2") as unknown,
        }),
      ],
    });
  });

  it("fault switch: Octokit's retry plugin retries a 502 and succeeds", async () => {
    const Retrying = Octokit.plugin(retry);
    const gh = new Retrying({
      baseUrl: t.forge.apiUrl,
      auth: token,
      retry: { retryAfterBaseValue: 1 },
      log: console,
    });
    t.forge.setFault({ route: "/repos/{owner}/{repo}", method: "GET", status: 502, times: 2 });
    const { data } = await gh.rest.repos.get(repo);
    expect(data.full_name).toBe("alice/demo");
    // Both faults were consumed by the retries.
    expect((await raw("/repos/alice/demo")).status).toBe(200);
  });

  it("fault switch: a delayed fault answers its error only after the delay", async () => {
    t.forge.setFault({ route: "/repos/{owner}/{repo}", status: 503, times: 1, delayMs: 400 });
    const started = Date.now();
    expect((await raw("/repos/alice/demo")).status).toBe(503);
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    // One time only: the next request is answered at once.
    expect((await raw("/repos/alice/demo")).status).toBe(200);
  });

  it("fault switch: rate limits carry the headers the throttling plugin reads", async () => {
    for (const status of [403, 429] as const) {
      t.forge.setFault({ route: "/repos/{owner}/{repo}", status, times: 1, rateLimit: true });
      const res = await raw("/repos/alice/demo");
      expect([
        res.status,
        res.headers.get("x-ratelimit-remaining"),
        res.headers.get("retry-after"),
      ]).toEqual([status, "0", "1"]);
    }
    const Throttled = Octokit.plugin(throttling);
    let limited = 0;
    const gh = new Throttled({
      baseUrl: t.forge.apiUrl,
      auth: token,
      throttle: {
        onRateLimit: () => ++limited <= 1,
        onSecondaryRateLimit: () => ++limited <= 1,
      },
    });
    t.forge.setFault({ route: "/repos/{owner}/{repo}", status: 429, times: 1, rateLimit: true });
    const { data } = await gh.rest.repos.get(repo);
    expect([data.full_name, limited]).toEqual(["alice/demo", 1]);
  });

  it("records deliveries and redelivers with the same GUID", async () => {
    await t.forge.waitIdle();
    const asApp = octokit(t.forge, await app.jwt());
    const { data: list } = await asApp.rest.apps.listWebhookDeliveries({ per_page: 100 });
    const push = list.find((d) => d.event === "push");
    expect(push).toMatchObject({ status_code: 200, redelivery: false });
    const { data: detail } = await asApp.rest.apps.getWebhookDelivery({
      delivery_id: push?.id ?? 0,
    });
    expect(detail.request.headers?.["X-GitHub-Event"]).toBe("push");
    await asApp.rest.apps.redeliverWebhookDelivery({ delivery_id: push?.id ?? 0 });
    await t.forge.waitIdle();
    const guids = hooks.received.filter((r) => r.headers["x-github-delivery"] === push?.guid);
    expect(guids.length).toBe(2);
    expect(guids[0]?.body).toBe(guids[1]?.body);
    const { data: after } = await asApp.rest.apps.listWebhookDeliveries({ per_page: 100 });
    expect(
      after
        .filter((d) => d.guid === push?.guid)
        .map((d) => d.redelivery)
        .sort(),
    ).toEqual([false, true]);
  });
});
