import { verify } from "@octokit/webhooks-methods";
import { Probot } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  appJwt,
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

const status = async (p: Promise<unknown>): Promise<number> => {
  try {
    await p;
    return 200;
  } catch (e) {
    return (e as { status: number }).status;
  }
};

describe("app authentication", () => {
  it("works for an unmodified Probot: app JWT, installation token, repository calls", async () => {
    const probot = new Probot({
      appId: app.appId,
      privateKey: app.privateKeyPem,
      secret: app.webhookSecret,
      baseUrl: t.forge.apiUrl,
      logLevel: "fatal",
    });
    const asInstallation = await probot.auth(app.installationId);
    const { data } = await asInstallation.rest.repos.get({ owner: "alice", repo: "demo" });
    expect(data.full_name).toBe("alice/demo");
    const asApp = await probot.auth();
    const { data: me } = await asApp.rest.apps.getAuthenticated();
    expect(me?.id).toBe(app.appId);
  });

  it("exchanges the app JWT for an installation token that reads the repository", async () => {
    const asApp = octokit(t.forge, await app.jwt());
    const { data: me } = await asApp.rest.apps.getAuthenticated();
    expect(me?.slug).toBe("livepatch-test");
    const { data: inst } = await asApp.rest.apps.getRepoInstallation({
      owner: "alice",
      repo: "demo",
    });
    expect(inst.id).toBe(app.installationId);
    const { data: list } = await asApp.rest.apps.listInstallations();
    expect(list.map((i) => i.id)).toEqual([app.installationId]);

    const token = await app.installationToken();
    expect(token).toMatch(/^ghs_/);
    const gh = octokit(t.forge, token);
    const { data: repo } = await gh.rest.repos.get({ owner: "alice", repo: "demo" });
    expect(repo.full_name).toBe("alice/demo");
    expect(repo.default_branch).toBe("main");
    const { data: repos } = await gh.rest.apps.listReposAccessibleToInstallation();
    expect(repos.repositories.map((r) => r.full_name)).toEqual(["alice/demo"]);
  });

  it("refuses forged, expired and over-long JWTs with GitHub's 401", async () => {
    const other = await t.forge.registerApp({ name: "Other App" });
    const forged = await appJwt(app.appId, other.privateKeyPem);
    const now = Math.floor(Date.now() / 1000);
    const expired = await appJwt(app.appId, app.privateKeyPem, { iat: now - 1200, exp: now - 600 });
    const tooLong = await appJwt(app.appId, app.privateKeyPem, { iat: now - 30, exp: now + 3600 });
    for (const jwt of [forged, expired, tooLong]) {
      const err = await octokit(t.forge, jwt)
        .rest.apps.getAuthenticated()
        .catch((e: { status: number; response: { data: { message: string } } }) => e);
      expect(err).toMatchObject({ status: 401 });
    }
    const e = await octokit(t.forge, tooLong)
      .rest.apps.getAuthenticated()
      .catch((x: { response: { data: unknown } }) => x.response.data);
    expect(e).toMatchObject({
      message: "'Expiration time' claim ('exp') is too far in the future.",
    });
    expect(
      await status(
        octokit(t.forge, "ghs_notatoken").rest.repos.get({ owner: "alice", repo: "demo" }),
      ),
    ).toBe(401);
  });

  it("hides another account's repository (404) and refuses a missing permission (403)", async () => {
    const bob = await t.forge.createUser("bob");
    await t.forge.createRepo("bob", "secret", { private: true });
    const token = await app.installationToken();
    expect(
      await status(octokit(t.forge, token).rest.repos.get({ owner: "bob", repo: "secret" })),
    ).toBe(404);
    expect(
      await status(octokit(t.forge, bob.token).rest.repos.get({ owner: "bob", repo: "secret" })),
    ).toBe(200);
    const readOnly = await app.installationToken({ permissions: { contents: "read" } });
    const err = await octokit(t.forge, readOnly)
      .rest.pulls.create({ owner: "alice", repo: "demo", title: "t", head: "x", base: "main" })
      .catch((e: { status: number; response: { data: unknown } }) => e);
    expect(err).toMatchObject({
      status: 403,
      response: { data: { message: "Resource not accessible by integration" } },
    });
    const escalate = await status(app.installationToken({ permissions: { members: "write" } }));
    expect(escalate).toBe(422);
  });

  it("delivers the installation webhook signed with the app's secret", async () => {
    await t.forge.waitIdle();
    const inst = hooks.received.find((r) => r.headers["x-github-event"] === "installation");
    expect(inst).toBeDefined();
    const sig = String(inst?.headers["x-hub-signature-256"]);
    expect(await verify(app.webhookSecret, inst?.body ?? "", sig)).toBe(true);
    expect(await verify("wrong secret", inst?.body ?? "", sig)).toBe(false);
    expect(JSON.parse(inst?.body ?? "{}")).toMatchObject({
      action: "created",
      installation: { id: app.installationId },
    });
    expect(inst?.headers["x-github-delivery"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(inst?.headers["user-agent"]).toMatch(/^GitHub-Hookshot\//);
  });
});
