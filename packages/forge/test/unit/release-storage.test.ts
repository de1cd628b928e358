import { describe, expect, it } from "vitest";
import { eventFacts } from "../../src/workflow-runs/event-facts.js";
import { artifactExpired } from "../../src/model/actions-json.js";
import type { ReleaseRow } from "../../src/model/release-rows.js";
import { assetNameProblem, latestRelease } from "../../src/releases/release-rules.js";
import { notModified } from "../../src/downloads/conditional-get.js";
import { UrlSigner } from "../../src/downloads/signed-urls.js";

const release = (id: number, extra: Partial<ReleaseRow>): ReleaseRow => ({
  id,
  repoId: 1,
  tag_name: `v${id}`,
  target_commitish: "main",
  name: null,
  body: null,
  draft: false,
  prerelease: false,
  authorId: 1,
  created_at: `2026-01-0${id}T00:00:00.000Z`,
  published_at: null,
  updated_at: "",
  latestRank: 0,
  ...extra,
});

describe("latestRelease", () => {
  it("takes the release most recently made latest, never a draft or prerelease", () => {
    const rows = [
      release(1, { latestRank: 2 }),
      release(2, { latestRank: 1 }),
      release(3, { latestRank: 0 }),
      release(4, { draft: true, latestRank: 3 }),
      release(5, { prerelease: true, latestRank: 4 }),
    ];
    expect(latestRelease(rows)?.id).toBe(1);
  });
  it("falls back to the newest published release when none was made latest", () => {
    expect(latestRelease([release(1, {}), release(2, {})])?.id).toBe(2);
    expect(latestRelease([release(1, { draft: true })])).toBeUndefined();
  });
});

describe("assetNameProblem", () => {
  it("refuses separators, dot-dot, control characters and empty names", () => {
    for (const bad of ["", "a/b", "a\\b", "..", "x..y", "a\nb", "a\u007fb", "x".repeat(256)]) {
      expect(assetNameProblem(bad), JSON.stringify(bad)).toBeDefined();
    }
    for (const good of ["manifest.json", "livepatch-v1-lab-a.ko.asc", "kernel-0a1b.json"]) {
      expect(assetNameProblem(good)).toBeUndefined();
    }
  });
});

describe("UrlSigner", () => {
  const signer = new UrlSigner(Buffer.alloc(32, 7));
  const now = 1_800_000_000_000;
  const parts = (url: string) => {
    const u = new URL(url, "http://x");
    return [u.searchParams.get("expires"), u.searchParams.get("sig")] as const;
  };
  it("verifies its own URL until it expires, for that object only", () => {
    const [expires, sig] = parts(signer.sign("asset", "12", now, 60));
    expect(signer.verify("asset", "12", expires, sig, now)).toBe(true);
    expect(signer.verify("asset", "12", expires, sig, now + 60_000)).toBe(false);
    expect(signer.verify("asset", "13", expires, sig, now)).toBe(false);
    expect(signer.verify("artifact", "12", expires, sig, now)).toBe(false);
    expect(signer.verify("asset", "12", String(Number(expires) + 1), sig, now)).toBe(false);
    expect(new UrlSigner(Buffer.alloc(32, 8)).verify("asset", "12", expires, sig, now)).toBe(false);
    expect(signer.verify("asset", "12", null, sig, now)).toBe(false);
    expect(signer.verify("asset", "12", expires, "zz", now)).toBe(false);
  });
});

describe("notModified", () => {
  const modified = new Date("2026-11-30T10:00:00.500Z");
  it("matches If-None-Match first, then If-Modified-Since at second precision", () => {
    expect(notModified({ "if-none-match": '"a", "b"' }, '"b"', modified)).toBe(true);
    expect(notModified({ "if-none-match": 'W/"b"' }, '"b"', modified)).toBe(true);
    expect(
      notModified(
        { "if-none-match": '"c"', "if-modified-since": modified.toUTCString() },
        '"b"',
        modified,
      ),
    ).toBe(false);
    expect(notModified({ "if-modified-since": modified.toUTCString() }, '"b"', modified)).toBe(
      true,
    );
    expect(
      notModified({ "if-modified-since": "Sun, 29 Nov 2026 10:00:00 GMT" }, '"b"', modified),
    ).toBe(false);
    expect(notModified({}, '"b"', modified)).toBe(false);
  });
});

describe("eventFacts and artifact expiry", () => {
  it("reads a pull request's head sha, head branch and merge ref", () => {
    const facts = eventFacts({
      name: "pull_request",
      action: "opened",
      branch: "main",
      payload: {
        number: 4,
        pull_request: { number: 4, title: "Fix", head: { sha: "abc", ref: "topic" } },
        sender: { login: "bob" },
      },
    });
    expect(facts).toMatchObject({
      sha: "abc",
      headBranch: "topic",
      ref: "refs/pull/4/merge",
      baseRef: "main",
      actorLogin: "bob",
      title: "Fix",
    });
  });
  it("expires an artifact at expires_at", () => {
    expect(
      artifactExpired({ expires_at: "2026-01-01T00:00:00Z" }, new Date("2026-01-01T00:00:00Z")),
    ).toBe(true);
    expect(
      artifactExpired({ expires_at: "2026-01-02T00:00:00Z" }, new Date("2026-01-01T00:00:00Z")),
    ).toBe(false);
  });
});

describe("eventFacts pull_requests", () => {
  const side = (repoId: number, ref: string) => ({
    ref,
    sha: "abc",
    repo: { id: repoId, url: `http://x/repos/${repoId}`, name: "demo" },
  });
  const event = (headRepo: number) => ({
    name: "pull_request" as const,
    branch: "main",
    payload: {
      pull_request: {
        id: 9,
        number: 4,
        url: "http://x/pulls/4",
        head: side(headRepo, "topic"),
        base: side(1, "main"),
      },
    },
  });
  it("lists a same-repository pull request and leaves a fork's out", () => {
    expect(eventFacts(event(1)).pullRequests).toEqual([
      { id: 9, number: 4, url: "http://x/pulls/4", head: side(1, "topic"), base: side(1, "main") },
    ]);
    expect(eventFacts(event(2)).pullRequests).toEqual([]);
  });
});
