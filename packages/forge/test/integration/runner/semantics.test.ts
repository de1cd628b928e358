/**
 * Workflow semantics on the forge runner with real bash: status functions and
 * needs, outputs and env between steps and jobs, shells, refusals,
 * cancellation and timeouts.
 */
import { access, readFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { runWorkflow, type RunResult } from "../../../src/runner/index.js";
import { fakeHost, makeRepo, pushRun } from "./fake-host.js";

async function run(workflow: string, signal?: AbortSignal) {
  const { repo, sha } = await makeRepo({ "README.md": "hello\n", "sub/dir/file.txt": "x\n" });
  const host = await fakeHost(repo);
  const req = await pushRun(host, sha, workflow);
  const result = await runWorkflow({ ...req, signal });
  return { result, host, sha };
}

const conclusions = (r: RunResult) => Object.fromEntries(r.jobs.map((j) => [j.name, j.conclusion]));
const steps = (r: RunResult, job: string) =>
  r.jobs.find((j) => j.name === job)?.steps.map((s) => s.conclusion);
const log = (r: RunResult, job: string) =>
  readFile(r.jobs.find((j) => j.name === job)?.logFile ?? "", "utf8");

describe("forge runner semantics", () => {
  it("passes outputs and env between steps and jobs, with defaults and ${{ }} everywhere", async () => {
    const { result } = await run(`
on: push
env: { LEVEL: workflow, WF: w }
defaults: { run: { working-directory: sub } }
jobs:
  first:
    runs-on: x
    env: { LEVEL: job }
    outputs:
      greeting: \${{ steps.say.outputs.greeting }}
      story: \${{ steps.say.outputs.story }}
    steps:
      - uses: actions/checkout@11d5960a326750d5838078e36cf38b85af677262
      - id: say
        env: { LEVEL: step }
        run: |
          echo "greeting=hi from $LEVEL/$WF in $(basename "$PWD")" >> "$GITHUB_OUTPUT"
          printf 'story<<EOT\\nline one\\nline two\\nEOT\\n' >> "$GITHUB_OUTPUT"
          echo "LATER=set-by-env-file" >> "$GITHUB_ENV"
          mkdir -p "$RUNNER_TEMP/bin" && printf '#!/bin/sh\\necho tool ran\\n' > "$RUNNER_TEMP/bin/mytool" && chmod +x "$RUNNER_TEMP/bin/mytool"
          echo "$RUNNER_TEMP/bin" >> "$GITHUB_PATH"
      - name: Use \${{ env.LATER }}
        working-directory: sub/dir
        run: |
          test "$LATER" = set-by-env-file
          test "$(basename "$PWD")" = dir
          mytool
          echo "event=$GITHUB_EVENT_NAME run=$GITHUB_RUN_NUMBER ref=\${{ github.ref_name }} os=\${{ runner.os }} ci=$CI token=\${GITHUB_TOKEN:-none}"
  second:
    needs: first
    runs-on: x
    defaults: { run: { working-directory: . } }
    steps:
      - run: |
          test "\${{ needs.first.outputs.greeting }}" = "hi from step/w in sub"
          test "\${{ needs.first.result }}" = success
          printf '%s\\n' "\${{ needs.first.outputs.story }}" | wc -l | grep -qx 2
`);
    expect(result.conclusion).toBe("success");
    expect(conclusions(result)).toEqual({ first: "success", second: "success" });
    const text = await log(result, "first");
    expect(text).toContain("##[group]Use set-by-env-file");
    expect(text).toContain("tool ran");
    expect(text).toContain("event=push run=7 ref=main os=Linux ci=true token=none");
  });

  it("gives every step the runner machine's environment (runnerEnv), which workflow env overrides", async () => {
    const { repo, sha } = await makeRepo({ "README.md": "hello\n" });
    const host = await fakeHost(repo);
    const req = await pushRun(
      host,
      sha,
      `
on: push
jobs:
  one:
    runs-on: x
    steps:
      - run: |
          test "$SHARED_CACHE" = /srv/cache
          test "$OVERRIDDEN" = by-workflow
          case ":$PATH:" in *:/opt/runner-tools:*) ;; *) exit 1 ;; esac
        env: { OVERRIDDEN: by-workflow }
`,
    );
    const runnerEnv = {
      SHARED_CACHE: "/srv/cache",
      OVERRIDDEN: "by-runner",
      PATH: `/opt/runner-tools:${process.env.PATH ?? ""}`,
    };
    const result = await runWorkflow({ ...req, runnerEnv });
    expect(result.conclusion).toBe("success");
    expect((await runWorkflow(req)).conclusion).toBe("failure");
  });

  it("skips after a failure unless if: says otherwise, across steps and needs", async () => {
    const { result } = await run(`
on: push
jobs:
  broken:
    runs-on: x
    steps:
      - run: echo ok
      - id: tolerated
        continue-on-error: true
        run: exit 3
      - run: test "\${{ steps.tolerated.outcome }}/\${{ steps.tolerated.conclusion }}" = failure/success
      - run: false
      - run: echo never
      - if: failure()
        run: echo cleaning up after failure
      - if: always()
        run: echo always
  dependent:
    needs: broken
    runs-on: x
    steps: [{ run: echo never }]
  grandchild:
    needs: dependent
    runs-on: x
    steps: [{ run: echo never }]
  on-failure:
    needs: dependent
    if: failure()
    runs-on: x
    steps:
      - run: test "\${{ needs.dependent.result }}" = skipped
  regardless:
    needs: broken
    if: always()
    runs-on: x
    steps:
      - run: test "\${{ needs.broken.result }}" = failure
  unrelated:
    runs-on: x
    if: github.ref == 'refs/heads/other'
    steps: [{ run: echo never }]
`);
    expect(result.conclusion).toBe("failure");
    expect(conclusions(result)).toEqual({
      broken: "failure",
      dependent: "skipped",
      grandchild: "skipped",
      "on-failure": "success",
      regardless: "success",
      unrelated: "skipped",
    });
    expect(steps(result, "broken")).toEqual([
      "success",
      "success",
      "success",
      "failure",
      "skipped",
      "success",
      "success",
    ]);
    expect(await log(result, "broken")).toContain("##[error]Process completed with exit code 1.");
  });

  it("runs a fromJSON matrix with include/exclude, and fail-fast cancels the rest", async () => {
    const { result } = await run(`
on: push
jobs:
  plan:
    runs-on: x
    outputs: { list: "\${{ steps.p.outputs.list }}" }
    steps:
      - id: p
        run: echo 'list=["a","b","c"]' >> "$GITHUB_OUTPUT"
  wide:
    needs: plan
    runs-on: x
    strategy:
      fail-fast: false
      matrix:
        t: \${{ fromJSON(needs.plan.outputs.list) }}
        n: [1, 2]
        exclude: [{ t: b }]
        include: [{ t: a, extra: yes }, { t: z, n: 9 }]
    steps:
      - run: test "\${{ strategy.job-total }}" = 5 && echo "\${{ matrix.t }}-\${{ matrix.n }}-\${{ matrix.extra }}"
  fast:
    runs-on: x
    strategy:
      matrix: { k: [1, 2, 3] }
    steps:
      - run: test "\${{ matrix.k }}" != 2
`);
    expect(conclusions(result)).toEqual({
      plan: "success",
      "wide (a, 1, yes)": "success",
      "wide (a, 2, yes)": "success",
      "wide (c, 1)": "success",
      "wide (c, 2)": "success",
      "wide (z, 9)": "success",
      "fast (1)": "success",
      "fast (2)": "failure",
      "fast (3)": "cancelled",
    });
  });

  it("runs shells as GitHub does: bash -e by default, pipefail only with shell: bash", async () => {
    const { result } = await run(`
on: push
jobs:
  default-pipe:
    runs-on: x
    steps: [{ run: "false | true" }]
  bash-pipe:
    runs-on: x
    steps: [{ shell: bash, run: "false | true" }]
  default-errexit:
    runs-on: x
    steps: [{ run: "false; echo after" }]
  sh:
    runs-on: x
    defaults: { run: { shell: sh } }
    steps: [{ run: 'test -z "$BASH_VERSION"' }]
  python:
    runs-on: x
    steps: [{ shell: python, run: "import sys; sys.exit(0 if sys.version_info[0] == 3 else 1)" }]
`);
    expect(conclusions(result)).toEqual({
      "default-pipe": "success",
      "bash-pipe": "failure",
      "default-errexit": "failure",
      sh: "success",
      python: "success",
    });
  });

  it("refuses any uses: that is not one of build.yml's pins, naming the supported ones", async () => {
    const { result } = await run(`
on: push
jobs:
  tag:
    runs-on: x
    steps: [{ uses: actions/checkout@v4 }]
  local:
    runs-on: x
    steps: [{ uses: ./my-action }]
  docker:
    runs-on: x
    steps: [{ uses: "docker://alpine:3" }]
  node:
    runs-on: x
    steps: [{ uses: actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020, with: { node-version: 18 } }]
  services:
    runs-on: x
    services: { db: { image: postgres } }
    steps: [{ run: echo never }]
`);
    expect(conclusions(result)).toEqual({
      tag: "failure",
      local: "failure",
      docker: "failure",
      node: "failure",
      services: "failure",
    });
    const tag = await log(result, "tag");
    expect(tag).toContain("uses: actions/checkout@v4 is not supported by the forge runner");
    expect(tag).toContain("actions/checkout@11d5960a326750d5838078e36cf38b85af677262");
    expect(tag).toContain("actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02");
    expect(await log(result, "local")).toContain("uses: ./my-action is not supported");
    expect(await log(result, "node")).toMatch(
      /node-version 18 requested, but the forge runner runs Node 20\./,
    );
    expect(await log(result, "services")).toContain("services: are not supported");
  });

  it("honours upload-artifact's if-no-files-found and persist-credentials", async () => {
    const { result, host, sha } = await run(`
on: push
jobs:
  up:
    runs-on: x
    steps:
      - uses: actions/checkout@11d5960a326750d5838078e36cf38b85af677262
        with: { path: src }
      - run: git -C src config --get-regexp extraheader | grep -q "AUTHORIZATION. basic"
      - uses: actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02
        with: { name: none-warn, path: missing }
      - uses: actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02
        with: { name: readme, path: src/README.md }
      - uses: actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02
        with: { name: none-error, path: missing, if-no-files-found: error }
`);
    expect(steps(result, "up")).toEqual(["success", "success", "success", "success", "failure"]);
    expect(host.checkouts[0]?.ref).toBe(sha);
    const text = await log(result, "up");
    expect(text).toContain("##[warning]no files were found with the provided path: missing");
    expect(text).toContain("##[error]actions/upload-artifact: no files were found");
  });

  it("concludes cancelled when the run is cancelled, stopping the running step", async () => {
    const { repo, sha } = await makeRepo({ "README.md": "hello\n" });
    const host = await fakeHost(repo);
    const req = await pushRun(
      host,
      sha,
      `
on: push
jobs:
  long:
    runs-on: x
    steps:
      - run: touch "$RUNNER_TEMP/started"; sleep 600
      - if: always()
        run: echo cleanup ran
  after:
    needs: long
    runs-on: x
    steps: [{ run: echo never }]
`,
    );
    const controller = new AbortController();
    const pending = runWorkflow({ ...req, signal: controller.signal });
    const started = path.join(req.workDir, "jobs", "1-long", "temp", "started");
    while (
      !(await access(started).then(
        () => true,
        () => false,
      ))
    )
      await sleep(20);
    controller.abort();
    const result = await pending;
    expect(result.conclusion).toBe("cancelled");
    expect(conclusions(result)).toEqual({ long: "cancelled", after: "cancelled" });
    expect(steps(result, "long")).toEqual(["cancelled", "success"]);
    expect(await log(result, "long")).toContain("cleanup ran");
  });

  it("fails a step that exceeds its timeout-minutes", async () => {
    const { result } = await run(`
on: push
jobs:
  slow:
    runs-on: x
    steps:
      - timeout-minutes: 0.01
        run: sleep 600
      - run: echo never
`);
    expect(steps(result, "slow")).toEqual(["failure", "skipped"]);
    expect(await log(result, "slow")).toContain("exceeded its timeout of 0.01 minutes");
  });

  it("fails a job that exceeds its timeout-minutes, stopping its step", async () => {
    const { result } = await run(`
on: push
jobs:
  slow:
    runs-on: x
    timeout-minutes: 0.01
    steps:
      - run: sleep 600
      - run: echo never
`);
    expect(conclusions(result)).toEqual({ slow: "failure" });
    expect(await log(result, "slow")).toContain("The job exceeded its timeout of 0.01 minutes.");
  });

  it("turns a workflow the parser rejects into a failed run naming the error", async () => {
    const { result, host } = await run("on: push\njobs:\n  a:\n    runs-on: x\n    stepz: []\n");
    expect(result).toEqual({
      conclusion: "failure",
      jobs: [],
      error: expect.stringContaining("(Line: 5, Col: 5): Unexpected value 'stepz'") as string,
    });
    expect(host.records).toEqual([]);
  });
});
