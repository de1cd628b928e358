/**
 * scripts/ci-tool.sh with real bash and git and a stand-in `npm` that
 * records its calls: without a tool cache it installs and builds; with one,
 * the first job builds and keeps the result, a job at the same sources
 * reuses it (npm not run), and a change to any source is a new build.
 */
import { execa } from "execa";
import {
  chmod,
  cp,
  mkdir,
  mkdtemp,
  readFile,
  readlink,
  realpath,
  writeFile,
} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const SCRIPT = path.resolve("scripts/ci-tool.sh");

const FAKE_NPM = `#!/bin/sh
echo "npm $*" >> "$NPM_CALLS"
case "$1" in
  ci) mkdir -p node_modules/dep node_modules/@livepatch-gitops && echo dep > node_modules/dep/index.js
      for p in lpctl forge app demo; do ln -s "../../packages/$p" "node_modules/@livepatch-gitops/$p"; done ;;
  run) for p in lpctl forge app demo; do
         mkdir -p "packages/$p/dist" && echo "built from $(cat packages/lpctl/src/main.ts)" > "packages/$p/dist/main.js"
       done ;;
esac
`;
const MAIN = "packages/lpctl/dist/main.js";

async function setup() {
  const dir = await mkdtemp(path.join(os.tmpdir(), "lpctl-ci-tool-"));
  const bin = path.join(dir, "bin");
  await mkdir(bin);
  await writeFile(path.join(bin, "npm"), FAKE_NPM);
  await chmod(path.join(bin, "npm"), 0o755);
  const repo = path.join(dir, "repo");
  for (const p of ["lpctl", "forge", "app", "demo"]) {
    await mkdir(path.join(repo, "packages", p, "src"), { recursive: true });
    await writeFile(path.join(repo, "packages", p, "package.json"), "{}");
  }
  await writeFile(path.join(repo, "packages/lpctl/src/main.ts"), "v1");
  await writeFile(path.join(repo, "package.json"), "{}");
  await writeFile(path.join(repo, "package-lock.json"), "{}");
  const g = (...args: string[]) =>
    execa("git", args, {
      cwd: repo,
      env: {
        GIT_AUTHOR_NAME: "t",
        GIT_AUTHOR_EMAIL: "t@e",
        GIT_COMMITTER_NAME: "t",
        GIT_COMMITTER_EMAIL: "t@e",
      },
    });
  await g("init", "-q");
  await g("add", "-A");
  await g("commit", "-q", "-m", "init");
  const calls = path.join(dir, "calls");
  await writeFile(calls, "");
  /** A job: a fresh checkout of `repo` (what actions/checkout gives each job), then the script. */
  const job = async (name: string, toolCache?: string) => {
    const ws = path.join(dir, name);
    await cp(repo, ws, { recursive: true });
    const res = await execa("bash", [SCRIPT], {
      cwd: ws,
      env: {
        PATH: `${bin}:${process.env.PATH ?? ""}`,
        NPM_CALLS: calls,
        ...(toolCache === undefined ? {} : { RUNNER_TOOL_CACHE: toolCache }),
      },
      extendEnv: false,
    });
    return { ws, out: res.stdout };
  };
  const npmCalls = async () => (await readFile(calls, "utf8")).trim().split("\n").filter(Boolean);
  return { dir, repo, g, job, npmCalls };
}

describe("scripts/ci-tool.sh", () => {
  it("installs and builds when the runner has no tool cache", async () => {
    const s = await setup();
    const { ws } = await s.job("a");
    expect(await s.npmCalls()).toEqual(["npm ci --no-audit --no-fund", "npm run build"]);
    expect(await readFile(path.join(ws, MAIN), "utf8")).toBe("built from v1\n");
  });

  it("reuses a build of the same sources and rebuilds when a source changes", async () => {
    const s = await setup();
    const cache = path.join(s.dir, "tool-cache");
    const first = await s.job("a", cache);
    expect(first.out).toContain("kept this build in");
    expect(await s.npmCalls()).toHaveLength(2);

    const second = await s.job("b", cache);
    expect(second.out).toContain("reusing the build of these sources");
    expect(await s.npmCalls()).toHaveLength(2);
    expect(await readFile(path.join(second.ws, MAIN), "utf8")).toBe("built from v1\n");
    expect(await readlink(path.join(second.ws, "node_modules/dep"))).toContain(cache);
    // The workspace packages resolve to this checkout's, with the cached dist/.
    expect(
      await readFile(
        path.join(second.ws, "node_modules/@livepatch-gitops/app/dist/main.js"),
        "utf8",
      ),
    ).toBe("built from v1\n");
    expect(await realpath(path.join(second.ws, "node_modules/@livepatch-gitops/app"))).toBe(
      await realpath(path.join(second.ws, "packages/app")),
    );

    await writeFile(path.join(s.repo, "packages/lpctl/src/main.ts"), "v2");
    await s.g("commit", "-qam", "change");
    const third = await s.job("c", cache);
    expect(third.out).toContain("kept this build in");
    expect(await s.npmCalls()).toHaveLength(4);
    expect(await readFile(path.join(third.ws, MAIN), "utf8")).toBe("built from v2\n");
  });
});
