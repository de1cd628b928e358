/** The REST routes the app uses, on FakeState, with GitHub's response shapes (the fields the app reads and their neighbours). */
import { createHash } from "node:crypto";
import { APP_ID, BOT, OWNER, REPO, type FakeState } from "./fake-state.js";
import { moreReleaseRoutes } from "./fake-release-routes.js";

export const API = "https://api.github.test";
export const UPLOADS = "https://uploads.github.test";

type Json = Record<string, unknown> | unknown[];
export interface Reply {
  status: number;
  json?: Json;
  bytes?: Uint8Array;
  stream?: ReadableStream<Uint8Array>;
  location?: string;
}
type Handler = (
  m: RegExpExecArray,
  q: URLSearchParams,
  body: unknown,
  raw: Uint8Array | undefined,
) => Reply;

/** A request body field as a string (the app sends strings where these are read). */
const str = (v: unknown): string => (typeof v === "string" ? v : JSON.stringify(v));
const ok = (json: Json, status = 200): Reply => ({ status, json });
const notFound: Reply = { status: 404, json: { message: "Not Found" } };
const R = `/repos/${OWNER}/${REPO}`;

export function routes(s: FakeState): [string, RegExp, Handler][] {
  const user = (login: string) => ({
    login,
    id: login.length,
    type: login.endsWith("[bot]") ? "Bot" : "User",
  });
  const repoJson = () => ({
    id: 1,
    name: REPO,
    full_name: `${OWNER}/${REPO}`,
    owner: user(OWNER),
    default_branch: s.defaultBranch,
    private: false,
  });
  const pullJson = (p: FakeState["pulls"][number]) => ({
    number: p.number,
    state: p.state,
    user: user(p.user),
    head: { sha: p.headSha, ref: p.headRef, repo: repoJson() },
    base: { sha: p.baseSha, ref: p.baseRef, repo: repoJson() },
    merged_at: p.mergedAt,
    merge_commit_sha: p.mergeSha,
  });
  const checkJson = (c: FakeState["checkRuns"][number]) => ({
    id: c.id,
    head_sha: c.headSha,
    name: c.name,
    status: c.status,
    conclusion: c.conclusion,
    output: { ...c.output, annotations_count: c.annotations.length },
    details_url: c.detailsUrl ?? null,
    external_id: c.externalId ?? "",
    app: { id: c.appId, slug: "livepatch" },
    pull_requests: [],
  });
  const runJson = (r: FakeState["runs"][number]) => ({
    id: r.id,
    event: r.event,
    head_branch: r.headBranch,
    head_sha: r.headSha,
    path: r.path,
    status: r.status,
    conclusion: r.conclusion,
    html_url: `https://github.test/${OWNER}/${REPO}/actions/runs/${r.id}`,
    pull_requests: [],
  });
  const releaseJson = (r: FakeState["releases"][number]) => ({
    id: r.id,
    tag_name: r.tag,
    target_commitish: r.commit,
    html_url: `https://github.test/${OWNER}/${REPO}/releases/tag/${r.tag}`,
    upload_url: `${UPLOADS}${R}/releases/${r.id}/assets{?name,label}`,
    draft: false,
    prerelease: false,
    author: user(r.author ?? BOT),
  });
  const assetJson = (a: FakeState["releases"][number]["assets"][number]) => ({
    id: a.id,
    name: a.name,
    size: a.bytes.length,
    state: a.state,
    content_type: a.contentType,
    digest: `sha256:${createHash("sha256").update(a.bytes).digest("hex")}`,
  });
  const check = (id: string) => s.checkRuns.find((c) => c.id === Number(id));
  const compare = (base: string, head: string) => {
    const b = s.resolve(base);
    const h = s.resolve(head);
    if (!b || !h) return notFound;
    const status =
      b === h
        ? "identical"
        : s.isAncestor(b, h)
          ? "ahead"
          : s.isAncestor(h, b)
            ? "behind"
            : "diverged";
    // The merge base is the nearest ancestor of head that base reaches.
    let mb = h;
    while (!s.isAncestor(mb, b)) mb = s.commits.get(mb)?.parents[0] ?? b;
    return ok({
      status,
      merge_base_commit: { sha: mb },
      files: s.changedPaths(mb, h),
      commits: [],
    });
  };
  return [
    ["GET", new RegExp(`^${R}$`), () => ok(repoJson())],
    [
      "GET",
      new RegExp(`^${R}/branches/([^/]+)$`),
      (m) => {
        const sha = s.branches.get(m[1] ?? "");
        return sha ? ok({ name: m[1], commit: { sha } }) : notFound;
      },
    ],
    [
      "GET",
      new RegExp(`^${R}/contents/(.+)$`),
      (m, q) => {
        const sha = s.resolve(q.get("ref") ?? s.defaultBranch);
        const bytes = sha && s.commits.get(sha)?.tree.get(decodeURIComponent(m[1] ?? ""));
        if (!bytes) return notFound;
        return ok({
          type: "file",
          path: m[1],
          size: bytes.length,
          encoding: "base64",
          content: Buffer.from(bytes).toString("base64"),
        });
      },
    ],
    [
      "GET",
      new RegExp(`^${R}/git/trees/([0-9a-f]+)$`),
      (m) => {
        const c = s.commits.get(m[1] ?? "");
        if (!c) return notFound;
        return ok({
          sha: c.sha,
          truncated: false,
          tree: [...c.tree.keys()].sort().map((path) => ({ path, type: "blob", mode: "100644" })),
        });
      },
    ],
    [
      "GET",
      new RegExp(`^${R}/compare/([^.]+)\\.\\.\\.(.+)$`),
      (m) => compare(m[1] ?? "", m[2] ?? ""),
    ],
    [
      "GET",
      new RegExp(`^${R}/pulls$`),
      (_m, q) =>
        ok(
          s.pulls
            .filter(
              (p) => (q.get("state") ?? "open") === "all" || p.state === (q.get("state") ?? "open"),
            )
            .map(pullJson),
        ),
    ],
    [
      "GET",
      new RegExp(`^${R}/pulls/(\\d+)$`),
      (m) => {
        const p = s.pulls.find((x) => x.number === Number(m[1]));
        return p ? ok(pullJson(p)) : notFound;
      },
    ],
    [
      "GET",
      new RegExp(`^${R}/pulls/(\\d+)/files$`),
      (m) => {
        const p = s.pulls.find((x) => x.number === Number(m[1]));
        return p ? ok(s.changedPaths(p.baseSha, p.headSha)) : notFound;
      },
    ],
    [
      "GET",
      new RegExp(`^${R}/pulls/(\\d+)/commits$`),
      (m) => {
        const p = s.pulls.find((x) => x.number === Number(m[1]));
        if (!p) return notFound;
        const out = [];
        for (
          let c = s.commits.get(p.headSha);
          c && c.sha !== p.baseSha;
          c = s.commits.get(c.parents[0] ?? "")
        )
          out.unshift({ sha: c.sha, author: user(c.author), committer: user(c.author) });
        return ok(out);
      },
    ],
    [
      "GET",
      new RegExp(`^${R}/pulls/(\\d+)/reviews$`),
      (m) =>
        ok(
          s.reviews
            .filter((r) => r.pull === Number(m[1]))
            .map((r) => ({
              id: r.id,
              user: user(r.user),
              state: r.state,
              commit_id: r.commitId,
              submitted_at: "2026-11-30T12:00:00Z",
            })),
        ),
    ],
    // The fake's pull requests are never retargeted: their timelines hold no base change.
    ["GET", new RegExp(`^${R}/issues/(\\d+)/timeline$`), () => ok([])],
    [
      "GET",
      /^\/orgs\/([^/]+)\/teams\/([^/]+)\/memberships\/([^/]+)$/,
      (m) =>
        s.teams.get(`${m[1]}/${m[2]}`)?.has(m[3] ?? "")
          ? ok({ state: "active", role: "member" })
          : notFound,
    ],
    [
      "GET",
      new RegExp(`^${R}/commits/([0-9a-f]+)/check-runs$`),
      (m, q) => {
        const runs = s.checkRuns.filter(
          (c) => c.headSha === m[1] && (!q.get("check_name") || c.name === q.get("check_name")),
        );
        return ok({ total_count: runs.length, check_runs: runs.map(checkJson) });
      },
    ],
    [
      "GET",
      new RegExp(`^${R}/commits/([0-9a-f]+)/pulls$`),
      (m) => ok(s.pulls.filter((p) => p.mergeSha === m[1]).map(pullJson)),
    ],
    [
      "POST",
      new RegExp(`^${R}/check-runs$`),
      (_m, _q, b) => {
        const body = b as Record<string, unknown>;
        const { annotations = [], ...output } = (body.output ?? {}) as {
          annotations?: Record<string, unknown>[];
          title?: string;
          summary?: string;
          text?: string;
        };
        if (annotations.length > 50)
          return { status: 422, json: { message: "at most 50 annotations" } };
        const status = body.conclusion ? "completed" : str(body.status ?? "queued");
        const c = {
          id: s.nextId(),
          headSha: String(body.head_sha),
          name: String(body.name),
          status,
          conclusion: (body.conclusion as string) ?? null,
          output,
          annotations,
          appId: APP_ID,
          ...(body.details_url ? { detailsUrl: str(body.details_url) } : {}),
          ...(body.external_id !== undefined ? { externalId: str(body.external_id) } : {}),
        };
        s.checkRuns.push(c);
        return ok(checkJson(c), 201);
      },
    ],
    [
      "PATCH",
      new RegExp(`^${R}/check-runs/(\\d+)$`),
      (m, _q, b) => {
        const c = check(m[1] ?? "");
        if (!c) return notFound;
        const body = b as Record<string, unknown>;
        const output = body.output as { annotations?: Record<string, unknown>[] } | undefined;
        if ((output?.annotations?.length ?? 0) > 50)
          return { status: 422, json: { message: "at most 50 annotations" } };
        if (body.status) c.status = str(body.status);
        if (body.external_id !== undefined) c.externalId = str(body.external_id);
        if (body.conclusion) {
          c.conclusion = str(body.conclusion);
          c.status = "completed";
        }
        if (output) {
          const { annotations = [], ...rest } = output;
          c.output = rest;
          c.annotations.push(...annotations);
        }
        return ok(checkJson(c));
      },
    ],
    [
      "GET",
      new RegExp(`^${R}/check-runs/(\\d+)/annotations$`),
      (m) => {
        const c = check(m[1] ?? "");
        return c ? ok(c.annotations) : notFound;
      },
    ],
    [
      "GET",
      new RegExp(`^${R}/issues/(\\d+)/comments$`),
      (m) =>
        ok(
          s.comments
            .filter((c) => c.issue === Number(m[1]))
            .map((c) => ({ id: c.id, body: c.body, user: c.user })),
        ),
    ],
    [
      "POST",
      new RegExp(`^${R}/issues/(\\d+)/comments$`),
      (m, _q, b) => {
        const c = {
          id: s.nextId(),
          issue: Number(m[1]),
          body: String((b as { body: string }).body),
          user: { login: BOT, type: "Bot" as const },
        };
        s.comments.push(c);
        return ok({ id: c.id, body: c.body, user: c.user }, 201);
      },
    ],
    [
      "PATCH",
      new RegExp(`^${R}/issues/comments/(\\d+)$`),
      (m, _q, b) => {
        const c = s.comments.find((x) => x.id === Number(m[1]));
        if (!c) return notFound;
        c.body = String((b as { body: string }).body);
        return ok({ id: c.id, body: c.body, user: c.user });
      },
    ],
    [
      "GET",
      new RegExp(`^${R}/actions/runs/(\\d+)$`),
      (m) => {
        const r = s.runs.find((x) => x.id === Number(m[1]));
        return r ? ok(runJson(r)) : notFound;
      },
    ],
    [
      "GET",
      new RegExp(`^${R}/actions/runs/(\\d+)/artifacts$`),
      (m) => {
        const r = s.runs.find((x) => x.id === Number(m[1]));
        const list = (r?.artifacts ?? []).map((a) => ({
          id: a.id,
          name: a.name,
          size_in_bytes: a.listedSize ?? a.zip.length,
          expired: false,
        }));
        return ok({ total_count: list.length, artifacts: list });
      },
    ],
    [
      "GET",
      new RegExp(`^${R}/actions/artifacts/(\\d+)/zip$`),
      (m) => ({ status: 302, location: `https://blob.github.test/artifact/${m[1]}` }),
    ],
    [
      "GET",
      /^\/artifact\/(\d+)$/,
      (m) => {
        const a = s.runs.flatMap((r) => r.artifacts).find((x) => x.id === Number(m[1]));
        if (a?.body) return { status: 200, stream: a.body() };
        return a ? { status: 200, bytes: a.zip } : notFound;
      },
    ],
    ...releaseRoutes(s, releaseJson, assetJson),
    ...moreReleaseRoutes(s, releaseJson),
  ];
}

function releaseRoutes(
  s: FakeState,
  releaseJson: (r: FakeState["releases"][number]) => Json,
  assetJson: (a: FakeState["releases"][number]["assets"][number]) => Json,
): [string, RegExp, Handler][] {
  const rel = (id: string | undefined) => s.releases.find((r) => r.id === Number(id));
  return [
    [
      "GET",
      new RegExp(`^${R}/releases/tags/(.+)$`),
      (m) => {
        const r = s.releases.find((x) => x.tag === m[1]);
        return r ? ok(releaseJson(r)) : notFound;
      },
    ],
    [
      "GET",
      new RegExp(`^${R}/releases/latest$`),
      () => {
        const r = s.releases.find((x) => x.latest);
        return r ? ok(releaseJson(r)) : notFound;
      },
    ],
    [
      "POST",
      new RegExp(`^${R}/releases$`),
      (_m, _q, b) => {
        const body = b as { tag_name: string; target_commitish: string };
        if (s.releases.some((r) => r.tag === body.tag_name))
          return { status: 422, json: { message: "already_exists" } };
        const r = {
          id: s.nextId(),
          tag: body.tag_name,
          commit: body.target_commitish,
          latest: false,
          assets: [],
        };
        // GitHub releases an existing tag where it points, and creates a missing one.
        const tagged = s.tags.get(r.tag);
        if (tagged === undefined) s.tags.set(r.tag, r.commit);
        else r.commit = tagged;
        s.releases.push(r);
        return ok(releaseJson(r), 201);
      },
    ],
    [
      "PATCH",
      new RegExp(`^${R}/releases/(\\d+)$`),
      (m, _q, b) => {
        const r = rel(m[1]);
        if (!r) return notFound;
        if ((b as { make_latest?: string }).make_latest === "true")
          for (const x of s.releases) x.latest = x === r;
        return ok(releaseJson(r));
      },
    ],
    [
      "GET",
      new RegExp(`^${R}/releases/(\\d+)/assets$`),
      (m) => ok((rel(m[1])?.assets ?? []).map(assetJson)),
    ],
    [
      "GET",
      new RegExp(`^${R}/releases/assets/(\\d+)$`),
      (m) => {
        const a = s.releases.flatMap((r) => r.assets).find((x) => x.id === Number(m[1]));
        return a ? { status: 200, bytes: a.bytes } : notFound;
      },
    ],
    [
      "DELETE",
      new RegExp(`^${R}/releases/assets/(\\d+)$`),
      (m) => {
        for (const r of s.releases) r.assets = r.assets.filter((a) => a.id !== Number(m[1]));
        return { status: 204 };
      },
    ],
    [
      "POST",
      new RegExp(`^UPLOAD${R}/releases/(\\d+)/assets$`),
      (m, q, _b, raw) => {
        const r = rel(m[1]);
        const name = q.get("name") ?? "";
        if (!r) return notFound;
        if (r.assets.some((a) => a.name === name))
          return { status: 422, json: { message: "already_exists" } };
        const a = {
          id: s.nextId(),
          name,
          state: "uploaded",
          bytes: raw ?? new Uint8Array(),
          contentType: "application/octet-stream",
        };
        r.assets.push(a);
        return ok(assetJson(a), 201);
      },
    ],
  ];
}
