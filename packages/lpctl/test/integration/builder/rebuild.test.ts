/**
 * Anyone can check a release against its commit, for real: a module built
 * with provenance from a commit of a git repository is published and signed,
 * then `lpctl rebuild` exports that commit, builds it again and finds the
 * published sha256 (warm kernel cache: two kpatch-build runs).
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../../src/cli/run.js";
import { CACHE, REPO } from "./helpers.js";

const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.invalid", ...args], {
    cwd,
    encoding: "utf8",
  }).trim();

async function lpctl(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe("lpctl rebuild", () => {
  it("rebuilds a published module from the commit its manifest records and finds the same sha256", async () => {
    const work = mkdtempSync(join(tmpdir(), "lpctl-rebuild-"));
    const repo = join(work, "repo");
    for (const d of ["kernels", "patches"])
      cpSync(join(REPO, d), join(repo, d), { recursive: true });
    git(repo, "init", "-q", "-b", "main");
    git(repo, "add", ".");
    git(repo, "commit", "-q", "-m", "patches");
    const sha = git(repo, "rev-parse", "HEAD");

    const built = await lpctl([
      "build",
      "--target",
      "debian-6.1-lab",
      "--patch",
      "cmdline-banner",
      "--repo",
      repo,
      "--out",
      join(work, "out"),
      "--serial",
      "1",
      "--cache",
      CACHE,
      "--source-repository",
      "o/r",
      "--source-commit",
      sha,
      "--source-ref",
      "refs/heads/main",
      "--source-event",
      "push",
      "--source-run",
      "1",
    ]);
    expect(built.code, built.err.join("\n")).toBe(0);
    expect((await lpctl(["keygen", "--name", "t", "--out", join(work, "keys")])).code).toBe(0);
    const published = await lpctl([
      "publish",
      "--reports",
      join(work, "out"),
      "--checkout",
      repo,
      "--repository",
      "o/r",
      "--key",
      join(work, "keys/signing-key.asc"),
      "--to",
      join(work, "mirror"),
      "--expect-commit",
      sha,
    ]);
    expect(published.code, published.err.join("\n")).toBe(0);

    const r = await lpctl([
      "rebuild",
      "--manifest",
      join(work, "mirror/manifest.json"),
      "--key",
      join(work, "keys/signing-key.pub.asc"),
      "--repo",
      repo,
      "--cache",
      CACHE,
      "--json",
    ]);
    expect(r.code, r.err.join("\n")).toBe(0);
    const result = JSON.parse(r.out.join("\n")) as {
      results: {
        target: string;
        commit: string;
        reproduced: boolean;
        actual: string;
        expected: string;
      }[];
    };
    expect(result.results).toHaveLength(1);
    expect(result.results[0]).toMatchObject({
      target: "debian-6.1-lab",
      commit: sha,
      reproduced: true,
    });
    expect(result.results[0]?.actual).toBe(result.results[0]?.expected);
  });
});
