/** `lpctl plan` on a real git repository: changed paths and both trees read with git. */
import { execa } from "execa";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "@livepatch-gitops/lpctl/cli/run";

let repo: string;
const shas: Record<string, string> = {};

async function git(...args: string[]): Promise<string> {
  const r = await execa("git", ["-C", repo, ...args], {
    env: {
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@example.invalid",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@example.invalid",
    },
  });
  return r.stdout.trim();
}

async function write(files: Record<string, string | null>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    if (text === null) await rm(join(repo, path));
    else {
      await mkdir(dirname(join(repo, path)), { recursive: true });
      await writeFile(join(repo, path), text);
    }
  }
}

async function commit(name: string, files: Record<string, string | null>): Promise<void> {
  await write(files);
  await git("add", "-A");
  await git("commit", "-q", "-m", name);
  shas[name] = await git("rev-parse", "HEAD");
}

async function plan(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(["plan", "--repo", repo, ...args], {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

const patch = (kernels: string) => `title: t\ndescription: d\nkernels: ${kernels}\n`;
const target = "release: 6.1.0\narch: x86_64\n";

beforeAll(async () => {
  repo = await mkdtemp(join(tmpdir(), "lpctl-plan-"));
  await git("init", "-q", "-b", "main");
  await commit("base", {
    "kernels/a/target.yaml": target,
    "kernels/b/target.yaml": target,
    "patches/p1/patch.yaml": patch("[a]"),
    "patches/p1/0001.patch": "x\n",
    "patches/p2/patch.yaml": patch('["*"]'),
    "patches/p2/0001.patch": "y\n",
  });
  await commit("change-p1", { "patches/p1/0001.patch": "x2\n" });
  await commit("delete-p2", { "patches/p2/patch.yaml": null, "patches/p2/0001.patch": null });
  await commit("new-target", { "kernels/c/target.yaml": target });
  await commit("p3-everywhere", {
    "patches/p3/patch.yaml": patch('["*"]'),
    "patches/p3/0001.patch": "z\n",
  });
  await commit("withdraw-p1", {
    "patches/p1/patch.yaml": `${patch("[a]")}withdrawn: {reason: bad}\n`,
  });
});

afterAll(async () => {
  await rm(repo, { recursive: true, force: true });
});

describe("lpctl plan", () => {
  it("a changed patch plans its targets, with reasons", async () => {
    const r = await plan("--base", shas.base ?? "", "--head", shas["change-p1"] ?? "", "--json");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as {
      targets: string[];
      chunks: string[][];
      reasons: Record<string, string[]>;
    };
    expect(doc.targets).toEqual(["a"]);
    expect(doc.chunks).toEqual([["a"]]);
    expect(doc.reasons).toEqual({ a: ["patch p1 changed"] });
  });

  it("a deleted patch plans its former targets; one left without a patch is not built", async () => {
    const r = await plan(
      "--base",
      shas["change-p1"] ?? "",
      "--head",
      shas["delete-p2"] ?? "",
      "--json",
    );
    const doc = JSON.parse(r.out) as { targets: string[]; emptied: string[] };
    expect(doc.targets).toEqual(["a"]);
    expect(doc.emptied).toEqual(["b"]);
  });

  it("a new target no patch matches is not built: it would have no module", async () => {
    const r = await plan("--base", shas["delete-p2"] ?? "", "--head", shas["new-target"] ?? "");
    expect(r.out).toContain(
      "0 target(s) in 0 matrix chunk(s); left without a module (no active patch): c",
    );
  });

  it("a withdrawn patch rebuilds its target without it", async () => {
    const r = await plan(
      "--base",
      shas["p3-everywhere"] ?? "",
      "--head",
      shas["withdraw-p1"] ?? "",
      "--json",
    );
    const doc = JSON.parse(r.out) as { targets: string[]; reasons: Record<string, string[]> };
    expect(doc.targets).toEqual(["a"]);
    expect(doc.reasons.a).toEqual(["patch p1 withdrawn: its module shrinks"]);
  });

  it("no base (a first push: forty zeros) plans every target", async () => {
    const r = await plan(
      "--base",
      "0".repeat(40),
      "--head",
      shas["p3-everywhere"] ?? "",
      "--chunk",
      "0",
    );
    expect(JSON.parse(r.out)).toEqual(["a", "b", "c"]);
  });

  it("--max-jobs splits into chunks; --chunk picks one", async () => {
    const r = await plan("--head", shas["p3-everywhere"] ?? "", "--max-jobs", "2", "--json");
    expect((JSON.parse(r.out) as { chunks: string[][] }).chunks).toEqual([["a", "b"], ["c"]]);
    const second = await plan(
      "--head",
      shas["p3-everywhere"] ?? "",
      "--max-jobs",
      "2",
      "--chunk",
      "1",
    );
    expect(JSON.parse(second.out)).toEqual(["c"]);
    const beyond = await plan(
      "--head",
      shas["p3-everywhere"] ?? "",
      "--max-jobs",
      "2",
      "--chunk",
      "2",
    );
    expect(beyond.code).toBe(64);
    expect(beyond.err).toContain("2 chunk(s)");
  });

  it("an unknown commit fails with git's reason and what to do", async () => {
    const r = await plan("--base", "1".repeat(40), "--head", shas.base ?? "");
    expect(r.code).toBe(1);
    expect(r.err).toContain("fetch-depth: 0");
  });
});
