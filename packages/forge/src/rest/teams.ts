/** Organization teams: create one, and add, read memberships. */
import { createTeam, setTeamMember } from "../admin/accounts.js";
import type { ForgeContext } from "../context.js";
import { ForgeHttpError, notFound, validationFailed } from "../http/errors.js";
import { created, ok, type Routes } from "../http/types.js";
import { findUser } from "../model/db.js";
import { nodeId } from "../model/node-id.js";
import type { TeamRow, UserRow } from "../model/rows.js";
import { organizationSimple } from "../model/user-json.js";
import { requireUser } from "./guards.js";

export function registerTeams(routes: Routes, ctx: ForgeContext): void {
  const { db } = ctx;

  const orgOf = (login: string | undefined): UserRow => {
    const org = findUser(db, login ?? "");
    if (!org || org.type !== "Organization") throw notFound();
    return org;
  };
  const teamOf = (org: UserRow, slug: string | undefined): TeamRow => {
    const team = db.teams.find((t) => t.orgId === org.id && t.slug === slug);
    if (!team) throw notFound();
    return team;
  };
  const teamJson = (org: UserRow, t: TeamRow) => {
    const url = `${ctx.urls.api}/organizations/${org.id}/team/${t.id}`;
    return {
      id: t.id,
      node_id: nodeId("Team", t.id),
      url,
      html_url: `${ctx.urls.web}/orgs/${org.login}/teams/${t.slug}`,
      name: t.name,
      slug: t.slug,
      description: t.description,
      privacy: t.privacy,
      notification_setting: "notifications_enabled",
      permission: t.permission,
      members_url: `${url}/members{/member}`,
      repositories_url: `${url}/repos`,
      parent: null,
      members_count: db.teamMembers.filter((m) => m.teamId === t.id).length,
      repos_count: 0,
      created_at: t.created_at,
      updated_at: t.updated_at,
      organization: { ...organizationSimple(ctx.urls, org), ...orgExtras(org) },
      type: "organization",
      organization_id: org.id,
    };
  };
  const orgExtras = (org: UserRow) => ({
    has_organization_projects: false,
    has_repository_projects: false,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    html_url: `${ctx.urls.web}/${org.login}`,
    type: "Organization",
    created_at: org.created_at,
    updated_at: org.created_at,
    archived_at: null,
  });
  const requireOrgAdmin = (org: UserRow, user: UserRow) => {
    const m = db.orgMembers.find((x) => x.orgId === org.id && x.userId === user.id);
    if (!user.site_admin && m?.role !== "admin")
      throw new ForgeHttpError(403, "You must be an organization owner to do this.");
  };

  routes.api("POST", "/orgs/{org}/teams", async (req) => {
    const user = requireUser(req.principal);
    const org = orgOf(req.params.org);
    requireOrgAdmin(org, user);
    const body = await req.body();
    const team = createTeam(ctx, org, body.string("name"), body.optString("description") ?? null);
    for (const m of body.optArray("maintainers") ?? []) {
      const u = findUser(db, String(m));
      if (!u) throw validationFailed([{ resource: "Team", code: "invalid", field: "maintainers" }]);
      setTeamMember(ctx, team, u, "maintainer");
    }
    return created(teamJson(org, team));
  });

  routes.api("PUT", "/orgs/{org}/teams/{team_slug}/memberships/{username}", async (req) => {
    const user = requireUser(req.principal);
    const org = orgOf(req.params.org);
    requireOrgAdmin(org, user);
    const team = teamOf(org, req.params.team_slug);
    const member = findUser(db, req.params.username ?? "");
    if (!member) throw notFound();
    const role = (await req.body()).optEnum("role", ["member", "maintainer"] as const) ?? "member";
    setTeamMember(ctx, team, member, role);
    return ok({
      url: `${ctx.urls.api}/teams/${team.id}/memberships/${member.login}`,
      role,
      state: "active",
    });
  });

  routes.api("GET", "/orgs/{org}/teams/{team_slug}/memberships/{username}", (req) => {
    const p = req.principal;
    if (p.kind === "installation") {
      const granted = p.token.permissions.members;
      if (!granted) throw new ForgeHttpError(403, "Resource not accessible by integration");
    } else requireUser(p);
    const org = orgOf(req.params.org);
    const team = teamOf(org, req.params.team_slug);
    const member = findUser(db, req.params.username ?? "");
    const m = member && db.teamMembers.find((x) => x.teamId === team.id && x.userId === member.id);
    if (!member || !m) throw notFound();
    return ok({
      url: `${ctx.urls.api}/teams/${team.id}/memberships/${member.login}`,
      role: m.role,
      state: "active",
    });
  });
}
