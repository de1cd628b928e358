/**
 * The forge keeps ref lookups between changes (src/git/repos.ts): a branch
 * moved by a real push, by a merge through the API or by the refs API is
 * seen by the very next request. A `git` on PATH that logs its arguments
 * before it runs the real one shows that the lookups were kept.
 */
import { appendFile, mkdtemp, readFile, writeFile, chmod } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Octokit } from "@octokit/rest";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { octokit, startTestForge, type TestForge } from "@livepatch-gitops/test-support/test-forge";
import { cloneRepo, type GitClient } from "./git-client.js";

let t: TestForge;
let c: GitClient;
let gh: Octokit;
let log: string;
const savedPath = process.env.PATH;

beforeAll(async () => {
  const bin = await mkdtemp(path.join(os.tmpdir(), "forge-git-log-"));
  log = path.join(bin, "calls.log");
  const realGit = (await execa("sh", ["-c", "command -v git"])).stdout.trim();
  await writeFile(
    path.join(bin, "git"),
    `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${realGit}' "$@"\n`,
  );
  await chmod(path.join(bin, "git"), 0o755);
  await appendFile(log, "");
  process.env.PATH = `${bin}:${savedPath ?? ""}`;
  t = await startTestForge();
  const alice = await t.forge.createUser("alice");
  await t.forge.createRepo("alice", "demo");
  gh = octokit(t.forge, alice.token);
  c = await cloneRepo(`${t.forge.url}/alice/demo.git`, alice.token);
  await c.write("README.md", "one\n");
  await c.commitAll("one");
  await c.git("push", "--quiet", "origin", "main");
});
afterAll(async () => {
  process.env.PATH = savedPath;
  await t.stop();
});

const repo = { owner: "alice", repo: "demo" };
const mainSha = async () => (await gh.rest.repos.getBranch({ ...repo, branch: "main" })).data;

/** The forge's lookups of refs/heads/main while `work` runs. */
async function mainLookups(work: () => Promise<unknown>): Promise<number> {
  await writeFile(log, "");
  await work();
  const calls = (await readFile(log, "utf8")).split("\n");
  return calls.filter((l) => l.includes("rev-parse") && l.includes("refs/heads/main^{commit}"))
    .length;
}

describe("cached ref lookups", () => {
  it("are kept between changes and never outlive a push, a merge or a ref update", async () => {
    const first = await c.git("rev-parse", "HEAD");
    // Once the push's handling is over (its end moves the generation on), a
    // lookup is kept and the next one runs no git.
    await t.forge.waitIdle();
    expect((await mainSha()).commit.sha).toBe(first);
    expect(await mainLookups(async () => expect((await mainSha()).commit.sha).toBe(first))).toBe(0);

    // A real push over smart HTTP is seen by the next request, before its events are handled.
    await c.write("README.md", "two\n");
    const second = await c.commitAll("two");
    await c.git("push", "--quiet", "origin", "main");
    expect((await mainSha()).commit.sha).toBe(second);

    // A merge through the API.
    await c.git("checkout", "--quiet", "-b", "feature");
    await c.write("feature.txt", "f\n");
    const head = await c.commitAll("feature");
    await c.git("push", "--quiet", "origin", "feature");
    expect((await mainSha()).commit.sha).toBe(second);
    const { data: pr } = await gh.rest.pulls.create({
      ...repo,
      head: "feature",
      base: "main",
      title: "f",
    });
    const { data: merged } = await gh.rest.pulls.merge({
      ...repo,
      pull_number: pr.number,
      sha: head,
    });
    expect(merged.merged).toBe(true);
    expect(merged.sha).not.toBe(second);
    expect((await mainSha()).commit.sha).toBe(merged.sha);

    // A ref created through the refs API, after the cached list of refs said it was absent.
    await expect(gh.rest.git.getRef({ ...repo, ref: "heads/other" })).rejects.toMatchObject({
      status: 404,
    });
    await gh.rest.git.createRef({ ...repo, ref: "refs/heads/other", sha: head });
    expect((await gh.rest.repos.getBranch({ ...repo, branch: "other" })).data.commit.sha).toBe(
      head,
    );
    const { data: ref } = await gh.rest.git.getRef({ ...repo, ref: "heads/other" });
    expect(ref.object.sha).toBe(head);
    await t.forge.waitIdle();
  });
});
