/**
 * The project's real .github/workflows/build.yml on the forge runner: it
 * parses, its `on:` selects what it should, and a copy with only the slow
 * commands swapped (apt-get, npm ci, the kernel build) runs end to end with
 * real bash and git: plan's targets output feeds build's matrix, each leg
 * uploads its artifact zip.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runWorkflow, workflowTriggers, type WorkflowEvent } from "../../../src/runner/index.js";
import { fakeHost, git, makeRepo, pushRun, readZip } from "./fake-host.js";

const BUILD_YML = path.resolve(".github/workflows/build.yml");
let buildYml = "";
beforeAll(async () => {
  buildYml = await readFile(BUILD_YML, "utf8");
});

/** build.yml with each slow command replaced; every replacement must apply. */
function cheapBuildYml(text: string): string {
  const swaps: [string, string][] = [
    [
      "command -v git >/dev/null && [ -e /etc/ssl/certs/ca-certificates.crt ] || { apt-get update -qq && apt-get install -y -qq --no-install-recommends git ca-certificates; }",
      "echo would install git ca-certificates",
    ],
    [
      "bash scripts/ci-tool.sh",
      "mkdir -p packages/lpctl/dist/cli && cp ci/fake-lpctl.cjs packages/lpctl/dist/cli/main.js",
    ],
  ];
  let out = text;
  for (const [from, to] of swaps) {
    expect(out.split(from).length - 1, from).toBe(2);
    out = out.split(from).join(to);
  }
  return out;
}

// Stands in for packages/lpctl/dist/cli/main.js: prints its arguments (to stderr for `plan`,
// whose stdout is JSON); `plan` plans every target; `build` writes a report.
const FAKE_LPCTL = `
const fs = require("node:fs");
const args = process.argv.slice(2);
console.error("lpctl " + args.join(" "));
if (args[0] === "plan") {
  const targets = fs.readdirSync("kernels").sort();
  const reasons = Object.fromEntries(targets.map((t) => [t, ["every target"]]));
  console.log(JSON.stringify({ targets, chunks: [targets], reasons }));
}
if (args[0] === "build") {
  const out = args[args.indexOf("--out") + 1];
  fs.mkdirSync(out + "/modules", { recursive: true });
  fs.writeFileSync(out + "/modules/livepatch-x.ko", "ko");
  const env = ["GITHUB_REPOSITORY", "GITHUB_SHA", "GITHUB_EVENT_NAME", "GITHUB_RUN_ID", "GITHUB_TOKEN", "CI"];
  fs.writeFileSync(out + "/build-report.json", JSON.stringify({ args, env: Object.fromEntries(env.map((k) => [k, process.env[k] ?? null])) }));
}
`;

const push = (changedFiles?: string[], branch = "main"): WorkflowEvent => ({
  name: "push",
  branch,
  payload: { ref: `refs/heads/${branch}` },
  changedFiles,
});
const pr = (action: string, changedFiles: string[], base = "main"): WorkflowEvent => ({
  name: "pull_request",
  action,
  branch: base,
  payload: { action },
  changedFiles,
});

describe("the real build.yml", () => {
  it("is selected by pushes to main and pull requests touching kernels/ or patches/", () => {
    expect(workflowTriggers(buildYml, push(["kernels/debian-6.1-lab/target.yaml"]))).toBe(true);
    expect(workflowTriggers(buildYml, push(["patches/a/0001.patch", "README.md"]))).toBe(true);
    expect(workflowTriggers(buildYml, push(["README.md", "packages/lpctl/src/cli/main.ts"]))).toBe(
      false,
    );
    // A merged ring promotion: the run builds nothing and the app publishes the rings.
    expect(workflowTriggers(buildYml, push([".github/livepatch-rings.yml"]))).toBe(true);
    expect(workflowTriggers(buildYml, pr("opened", [".github/livepatch-rings.yml"]))).toBe(false);
    expect(workflowTriggers(buildYml, push(["kernels/x/target.yaml"], "topic"))).toBe(false);
    expect(workflowTriggers(buildYml, pr("opened", ["patches/a/patch.yaml"]))).toBe(true);
    expect(workflowTriggers(buildYml, pr("synchronize", ["kernels/x/config"], "release"))).toBe(
      true,
    );
    expect(workflowTriggers(buildYml, pr("closed", ["patches/a/patch.yaml"]))).toBe(false);
    expect(workflowTriggers(buildYml, pr("opened", ["docs/x.md"]))).toBe(false);
    expect(
      workflowTriggers(buildYml, { name: "workflow_dispatch", branch: "main", payload: {} }),
    ).toBe(true);
    expect(
      workflowTriggers(buildYml, { name: "repository_dispatch", branch: "main", payload: {} }),
    ).toBe(false);
  });

  it("runs end to end with the slow commands swapped, outputs feeding the matrix", async () => {
    const kernelTarget = await readFile("kernels/debian-6.1-lab/target.yaml", "utf8");
    const { repo, sha } = await makeRepo({
      ".github/workflows/build.yml": buildYml,
      "kernels/debian-6.1-lab/target.yaml": kernelTarget,
      "kernels/zz-second/target.yaml": kernelTarget,
      "patches/cmdline-banner/patch.yaml": "id: cmdline-banner\n",
      "patches/cmdline-banner/0001-cmdline-banner.patch": "--- a/x\n+++ b/x\n",
      "scripts/install-build-deps.sh": "echo build deps would be installed here\n",
      "ci/fake-lpctl.cjs": FAKE_LPCTL,
    });
    const host = await fakeHost(repo);
    const req = await pushRun(host, sha, cheapBuildYml(buildYml));
    const result = await runWorkflow(req);

    expect(result.error).toBeUndefined();
    expect(result.jobs.map((j) => [j.name, j.conclusion])).toEqual([
      ["plan", "success"],
      ["build (debian-6.1-lab)", "success"],
      ["build (zz-second)", "success"],
    ]);
    expect(result.conclusion).toBe("success");
    // every job checked out the run's commit, without a persisted token
    expect(host.checkouts.map((c) => c.ref)).toEqual([sha, sha, sha]);
    for (const c of host.checkouts) {
      await expect(git(c.dir, "config", "--get-regexp", "extraheader")).rejects.toThrow();
    }
    const planLog = await readFile(result.jobs[0]?.logFile ?? "", "utf8");
    expect(planLog).toMatch(/^\S+Z ##\[group\]Install git$/m);
    expect(planLog).toContain("container: debian:bookworm requested");
    expect(planLog).toContain("lpctl validate --repo .");
    expect(planLog).toContain("lpctl lint patches/cmdline-banner/0001-cmdline-banner.patch");

    const zip = await readZip(path.join(host.artifacts, "build-zz-second.zip"));
    expect(Object.keys(zip).sort()).toEqual(["build-report.json", "modules/livepatch-x.ko"]);
    const report = JSON.parse(zip["build-report.json"] ?? "") as {
      args: string[];
      env: Record<string, string | null>;
    };
    expect(report.args).toEqual([
      "build",
      "--target",
      "zz-second",
      "--out",
      "out/zz-second",
      "--vm-test",
      "--serial",
      "7",
    ]);
    expect(report.env).toEqual({
      GITHUB_REPOSITORY: "octo/lab",
      GITHUB_SHA: sha,
      GITHUB_EVENT_NAME: "push",
      GITHUB_RUN_ID: "4242",
      GITHUB_TOKEN: null,
      CI: "true",
    });
    expect(
      Object.keys(await readZip(path.join(host.artifacts, "build-debian-6.1-lab.zip"))),
    ).toContain("build-report.json");
    // the forge saw every job queued, running and completed, steps concluded
    const states = host.records.filter((r) => r.name === "plan").map((r) => r.status);
    expect(states[0]).toBe("queued");
    expect(states).toContain("in_progress");
    expect(states.at(-1)).toBe("completed");
    expect(
      host.records
        .filter((r) => r.name === "plan")
        .at(-1)
        ?.steps.map((s) => s.conclusion),
    ).toEqual(Array(6).fill("success"));
  });
});
