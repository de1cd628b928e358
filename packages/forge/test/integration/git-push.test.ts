import { verify } from "@octokit/webhooks-methods";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cloneRepo } from "./git-client.js";
import {
  installTestApp,
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

const pushes = () =>
  hooks.received
    .filter((r) => r.headers["x-github-event"] === "push")
    .map((r) => ({ ...r, payload: JSON.parse(r.body) as Record<string, unknown> }));

describe("git over smart HTTP", () => {
  it("clones, pushes main and a branch, and sends signed push webhooks", async () => {
    const cloneUrl = `${t.forge.url}/alice/demo.git`;
    const c = await cloneRepo(cloneUrl, app.owner.token);
    await c.write("README.md", "hello\n");
    const first = await c.commitAll("first");
    await c.git("push", "--quiet", "origin", "main");
    await c.git("checkout", "--quiet", "-b", "feature");
    await c.write("src/a.txt", "a\n");
    const second = await c.commitAll("add a");
    await c.git("push", "--quiet", "origin", "feature");
    await t.forge.waitIdle();

    const [main, feature] = pushes();
    expect(main?.payload).toMatchObject({
      ref: "refs/heads/main",
      before: "0000000000000000000000000000000000000000",
      after: first,
      created: true,
      pusher: { name: "alice" },
      repository: { full_name: "alice/demo" },
      installation: { id: app.installationId },
      sender: { login: "alice" },
    });
    expect(
      await verify(
        app.webhookSecret,
        main?.body ?? "",
        String(main?.headers["x-hub-signature-256"]),
      ),
    ).toBe(true);
    expect(feature?.payload).toMatchObject({ ref: "refs/heads/feature", after: second });
    expect(
      (feature?.payload.commits as { id: string; added: string[] }[]).map((x) => [x.id, x.added]),
    ).toEqual([[second, ["src/a.txt"]]]);
    expect(feature?.payload.head_commit).toMatchObject({ id: second, message: "add a" });

    // A fresh anonymous clone of the public repository sees both commits.
    const anon = await cloneRepo(cloneUrl);
    expect(await anon.git("log", "--format=%s", "origin/feature")).toBe("add a\nfirst");
  });

  it("refuses anonymous pushes and clones of private repositories", async () => {
    await t.forge.createRepo("alice", "private-one", { private: true });
    await expect(cloneRepo(`${t.forge.url}/alice/private-one.git`)).rejects.toThrow(/clone failed/);
    const c = await cloneRepo(`${t.forge.url}/alice/private-one.git`, app.owner.token);
    await c.write("x", "x\n");
    await c.commitAll("x");
    await c.git("remote", "set-url", "origin", `${t.forge.url}/alice/private-one.git`);
    const r = await c.tryGit("push", "origin", "main");
    expect(r.exitCode).not.toBe(0);
  });
});
