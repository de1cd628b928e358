import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  appJwt,
  octokit,
  startTestForge,
  type TestForge,
} from "@livepatch-gitops/test-support/test-forge";

let t: TestForge;
beforeAll(async () => {
  t = await startTestForge();
});
afterAll(async () => {
  await t.stop();
});

describe("accounts through GHES's site-admin API", () => {
  it("creates users, an org, its repo and team; reports memberships and permission levels", async () => {
    const admin = octokit(t.forge, t.forge.adminToken);
    // GHES-only endpoints: @octokit/rest (api.github.com) has no methods for them.
    await admin.request("POST /admin/users", { login: "olivia", email: "olivia@forge.local" });
    await admin.request("POST /admin/users", { login: "rita" });
    const { data: auth } = (await admin.request("POST /admin/users/{username}/authorizations", {
      username: "olivia",
      scopes: ["repo"],
    })) as { data: { token: string } };
    await admin.request("POST /admin/organizations", { login: "kernel-team", admin: "olivia" });
    const olivia = octokit(t.forge, auth.token);
    const { data: me } = await olivia.rest.users.getAuthenticated();
    expect(me.login).toBe("olivia");
    const { data: repo } = await olivia.rest.repos.createInOrg({
      org: "kernel-team",
      name: "patches",
      private: true,
    });
    expect(repo).toMatchObject({
      full_name: "kernel-team/patches",
      private: true,
      permissions: { admin: true },
    });
    const { data: team } = await olivia.rest.teams.create({
      org: "kernel-team",
      name: "Safety Reviewers",
    });
    expect(team.slug).toBe("safety-reviewers");
    await olivia.rest.teams.addOrUpdateMembershipForUserInOrg({
      org: "kernel-team",
      team_slug: team.slug,
      username: "rita",
    });
    await olivia.rest.repos.addCollaborator({
      owner: "kernel-team",
      repo: "patches",
      username: "rita",
      permission: "push",
    });

    const app = await t.forge.registerApp({
      name: "Gate",
      default_permissions: { members: "read", contents: "read" },
    });
    const inst = await t.forge.installApp(app.appId, "kernel-team");
    const { data: tok } = await octokit(
      t.forge,
      await appJwt(app.appId, app.privateKeyPem),
    ).rest.apps.createInstallationAccessToken({
      installation_id: inst,
    });
    const gh = octokit(t.forge, tok.token);
    const { data: membership } = await gh.rest.teams.getMembershipForUserInOrg({
      org: "kernel-team",
      team_slug: "safety-reviewers",
      username: "rita",
    });
    expect(membership).toMatchObject({ role: "member", state: "active" });
    await expect(
      gh.rest.teams.getMembershipForUserInOrg({
        org: "kernel-team",
        team_slug: "safety-reviewers",
        username: "olivia",
      }),
    ).rejects.toMatchObject({ status: 404 });
    const { data: perm } = await gh.rest.repos.getCollaboratorPermissionLevel({
      owner: "kernel-team",
      repo: "patches",
      username: "rita",
    });
    expect([perm.permission, perm.role_name]).toEqual(["write", "write"]);
    const { data: owner } = await gh.rest.repos.getCollaboratorPermissionLevel({
      owner: "kernel-team",
      repo: "patches",
      username: "olivia",
    });
    expect(owner.permission).toBe("admin");
    // Only the site administrator may create users.
    await expect(olivia.request("POST /admin/users", { login: "mallory" })).rejects.toMatchObject({
      status: 403,
    });
  });

  it("converts a manifest code into an app once (the manifest flow Probot's setup uses)", async () => {
    const admin = octokit(t.forge, t.forge.adminToken);
    const { data } = (await admin.request("POST /_forge/app-manifests", {
      manifest: {
        name: "Flow App",
        default_events: ["push"],
        default_permissions: { contents: "read" },
      },
    })) as { data: { code: string } };
    const anon = octokit(t.forge);
    const { data: app } = await anon.rest.apps.createFromManifest({ code: data.code });
    expect(app).toMatchObject({
      slug: "flow-app",
      events: ["push"],
      pem: expect.stringContaining("RSA PRIVATE KEY") as unknown,
    });
    const { data: me } = await octokit(
      t.forge,
      await appJwt(app.id, app.pem),
    ).rest.apps.getAuthenticated();
    expect(me?.id).toBe(app.id);
    await expect(anon.rest.apps.createFromManifest({ code: data.code })).rejects.toMatchObject({
      status: 404,
    });
  });
});
