/**
 * What the real .github/workflows/build.yml would run on the forge runner:
 * its jobs, their order, and each step's command or native action, with the
 * expressions evaluated as the runner evaluates them.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { resolvePinnedAction } from "../../../src/runner/builtin-actions/pins.js";
import type { Json, Scope } from "../../../src/runner/expressions.js";
import { evaluateString, evaluateStringMap, evaluateToken } from "../../../src/runner/template.js";
import { loadWorkflow, type JobSpec } from "../../../src/runner/workflow.js";

const text = readFileSync(".github/workflows/build.yml", "utf8");
const scope = (matrix: Json = {}): Scope => ({
  contexts: {
    github: { run_number: "12" },
    needs: { plan: { result: "success", outputs: { targets: '["debian-6.1-lab"]' } } },
    matrix,
  },
  status: { success: () => true, failure: () => false, cancelled: () => false },
});

/** Each step as `run: <script>` or `uses: <native action> <inputs>`. */
function commands(job: JobSpec | undefined, s: Scope): string[] {
  return (job?.steps ?? []).map(({ step, with: inputs }) =>
    "run" in step
      ? `run: ${evaluateString(step.run, s).trim()}`
      : `${resolvePinnedAction(step.uses.value)} ${JSON.stringify(evaluateStringMap(inputs, s))}`,
  );
}

describe("the real build.yml", async () => {
  const wf = await loadWorkflow(".github/workflows/build.yml", text);
  const [plan, build] = wf.jobs;

  it("has plan, then build needing it, with a fromJSON matrix of plan's targets", () => {
    expect(wf.jobs.map((j) => [j.job.id.value, (j.job.needs ?? []).map((n) => n.value)])).toEqual([
      ["plan", []],
      ["build", ["plan"]],
    ]);
    const strategy = build?.job.strategy;
    const timeout = build?.timeoutMinutes;
    expect(strategy && evaluateToken(strategy, scope())).toEqual({
      "fail-fast": false,
      matrix: { target: ["debian-6.1-lab"] },
    });
    expect(timeout && evaluateToken(timeout, scope())).toBe(90);
  });

  it("plan runs these commands, in this order", () => {
    const cmds = commands(plan, scope());
    expect(cmds.slice(0, 5)).toEqual([
      "run: command -v git >/dev/null && [ -e /etc/ssl/certs/ca-certificates.crt ] || { apt-get update -qq && apt-get install -y -qq --no-install-recommends git ca-certificates; }",
      'checkout {"persist-credentials":"false","fetch-depth":"0"}',
      'setup-node {"node-version":"20"}',
      "run: bash scripts/ci-tool.sh",
      "run: node packages/lpctl/dist/cli/main.js validate --repo .\nnode packages/lpctl/dist/cli/main.js lint patches/*/*.patch",
    ]);
    // The last step plans from the event's base to GITHUB_SHA and writes targets= and chunks=.
    expect(cmds).toHaveLength(6);
    expect(cmds[5]).toContain(
      'node packages/lpctl/dist/cli/main.js plan --base "$base" --head "$GITHUB_SHA" --json',
    );
    expect(cmds[5]).toContain("targets=${JSON.stringify(plan.chunks[n] ?? [])}");
    // A push that changes nothing under kernels/ or patches/ (a ring promotion) plans no target.
    expect(cmds[5]).toContain('git diff --quiet "$BEFORE" "$GITHUB_SHA" -- kernels patches');
  });

  it("build runs these commands for a target, uploading even after a failure", () => {
    const cmds = commands(build, scope({ target: "debian-6.1-lab" }));
    expect(cmds.slice(3)).toEqual([
      "run: bash scripts/install-build-deps.sh",
      "run: bash scripts/ci-tool.sh",
      [
        "run: export PATH=/opt/livepatch-gitops/tools/usr/bin:$PATH",
        'node packages/lpctl/dist/cli/main.js build --target "debian-6.1-lab" \\',
        '  --out "out/debian-6.1-lab" --vm-test \\',
        '  --serial "12"',
      ].join("\n"),
      'upload-artifact {"name":"build-debian-6.1-lab","path":"out/debian-6.1-lab","if-no-files-found":"error"}',
    ]);
    expect(build?.steps.at(-1)?.step.if?.expression).toBe("always()");
  });
});
