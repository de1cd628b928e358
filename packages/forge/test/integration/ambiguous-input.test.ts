/**
 * Inputs the forge could read one way while the code acting on them reads
 * another: a repeated `service=` (the access check and git http-backend
 * must agree on which one), a tag named like a branch (`compare/main...`
 * means the branch), and token permission names that only exist on
 * Object.prototype.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pushFiles } from "@livepatch-gitops/test-support/forge-areas-helpers";
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

beforeAll(async () => {
  t = await startTestForge();
  hooks = await startReceiver();
  app = await installTestApp(t.forge, hooks.url);
});
afterAll(async () => {
  await t.stop();
  await hooks.close();
});

describe("ambiguous input to the forge", () => {
  it("refuses a git request with more than one service parameter", async () => {
    const base = `${t.forge.url}/alice/demo.git/info/refs`;
    // Anonymous callers may read this public repository, not push to it.
    const one = await fetch(`${base}?service=git-upload-pack`);
    expect(one.status).toBe(200);
    const two = await fetch(`${base}?service=git-upload-pack&service=git-receive-pack`);
    expect(two.status).toBe(400);
    expect(two.headers.get("content-type")).not.toContain("receive-pack");
    expect(await two.text()).toContain("one service parameter");
    const alone = await fetch(`${base}?service=git-receive-pack`);
    expect(alone.status).toBe(401);
  });

  it("reads main in compare/main...sha as the branch, even with a tag named main", async () => {
    const { token } = app.owner;
    const first = await pushFiles(t.forge.url, token, "alice/demo", { a: "1\n" });
    const wc = await cloneRepo(`${t.forge.url}/alice/demo.git`, token);
    await wc.git("tag", "main", first);
    await wc.git("push", "-q", "origin", "refs/tags/main");
    const tip = await pushFiles(t.forge.url, token, "alice/demo", { b: "2\n" });
    const gh = octokit(t.forge, token);
    const cmp = await gh.request("GET /repos/{owner}/{repo}/compare/{basehead}", {
      owner: "alice",
      repo: "demo",
      basehead: `main...${tip}`,
    });
    expect(cmp.data.base_commit.sha).toBe(tip);
    expect(cmp.data.status).toBe("identical");
    const byTag = await gh.request("GET /repos/{owner}/{repo}/compare/{basehead}", {
      owner: "alice",
      repo: "demo",
      basehead: `tags/main...${tip}`,
    });
    expect(byTag.data.base_commit.sha).toBe(first);
    expect(byTag.data.ahead_by).toBe(1);
  });

  it("refuses token permissions that are not an installation's own, known permission names", async () => {
    const jwt = await app.jwt();
    for (const body of [
      '{"permissions":{"constructor":"read"}}',
      '{"permissions":{"__proto__":"read"}}',
      '{"permissions":{"hasOwnProperty":"read"}}',
      '{"permissions":{"no_such_permission":"read"}}',
    ]) {
      const res = await fetch(
        `${t.forge.apiUrl}/app/installations/${String(app.installationId)}/access_tokens`,
        {
          method: "POST",
          headers: { authorization: `bearer ${jwt}`, "content-type": "application/json" },
          body,
        },
      );
      expect(res.status, body).toBe(422);
    }
    // A real narrowing still works.
    expect(await app.installationToken({ permissions: { contents: "read" } })).toMatch(/^ghs_/);
  });
});
