import { describe, expect, it } from "vitest";
import {
  evaluate,
  evaluateCondition,
  fromData,
  type Scope,
  type StatusFunctions,
} from "../../../src/runner/expressions.js";
import { evaluateString } from "../../../src/runner/template.js";
import { loadWorkflow } from "../../../src/runner/workflow.js";

const ok: StatusFunctions = { success: () => true, failure: () => false, cancelled: () => false };
const failed: StatusFunctions = {
  success: () => false,
  failure: () => true,
  cancelled: () => false,
};
const cancelled: StatusFunctions = {
  success: () => false,
  failure: () => false,
  cancelled: () => true,
};
const scope = (status: StatusFunctions = ok): Scope => ({
  contexts: {
    github: { ref: "refs/heads/main", event_name: "push", run_number: "7" },
    needs: { plan: { result: "success", outputs: { targets: '["a","b"]' } } },
    matrix: { target: "a" },
    env: { NAME: "x" },
  },
  status,
});

describe("expressions", () => {
  it("evaluates with GitHub's functions and our contexts", () => {
    expect(fromData(evaluate("fromJSON(needs.plan.outputs.targets)", scope()))).toEqual(["a", "b"]);
    expect(fromData(evaluate("format('{0}-{1}', matrix.target, github.run_number)", scope()))).toBe(
      "a-7",
    );
    expect(fromData(evaluate("contains(fromJSON('[\"a\"]'), matrix.target)", scope()))).toBe(true);
    expect(fromData(evaluate("github.missing", scope()))).toBeNull();
    expect(fromData(evaluate("GITHUB.REF", scope()))).toBe("refs/heads/main");
  });

  it("unescapes every '' of a string literal (patched in the vendored bundle)", () => {
    expect(fromData(evaluate("format('printf ''%s'' ''{0}''', env.NAME)", scope()))).toBe(
      "printf '%s' 'x'",
    );
  });

  it("supplies success(), failure(), cancelled() from the scope and always()", () => {
    const cond = (e: string, s: StatusFunctions) => evaluateCondition(e, scope(s));
    expect([
      cond("success()", ok),
      cond("success()", failed),
      cond("success()", cancelled),
    ]).toEqual([true, false, false]);
    expect([cond("failure()", ok), cond("failure()", failed)]).toEqual([false, true]);
    expect([cond("cancelled()", ok), cond("cancelled()", cancelled)]).toEqual([false, true]);
    expect([cond("always()", failed), cond("always()", cancelled)]).toEqual([true, true]);
    expect(cond("success() && (github.ref == 'refs/heads/main')", ok)).toBe(true);
  });

  it("reports a bad expression with the expression", () => {
    expect(() => evaluate("nosuch()", scope())).toThrow(/cannot evaluate \$\{\{ nosuch\(\) \}\}/);
    expect(() => evaluate("fromJSON('{')", scope())).toThrow(/EXPRESSION_INVALID|cannot evaluate/);
  });

  it("evaluates a block scalar with ${{ }} to its YAML value (patched in the vendored bundle)", async () => {
    const wf = await loadWorkflow(
      "w.yml",
      `on: push
jobs:
  a:
    runs-on: x
    steps:
      - run: |
          cat <<EOF
          \${{ matrix.target }}
          EOF
      - run: >-
          echo \${{ matrix.target }}
          and more
`,
    );
    const runs = wf.jobs[0]?.steps.map(({ step }) =>
      "run" in step ? evaluateString(step.run, scope()) : "",
    );
    expect(runs).toEqual(["cat <<EOF\na\nEOF\n", "echo a and more"]);
  });

  it("gets if: from the parser wrapped in success() unless it calls a status function", async () => {
    const wf = await loadWorkflow(
      "w.yml",
      `on: push
jobs:
  a:
    runs-on: x
    if: github.event_name == 'push'
    steps:
      - run: "true"
      - if: always()
        run: "true"
      - if: \${{ failure() || github.ref == 'x' }}
        run: "true"
  b:
    runs-on: x
    steps: [{ run: "true" }]
`,
    );
    const [a, b] = wf.jobs;
    expect(a?.job.if.expression).toBe("success() && (github.event_name == 'push')");
    expect(b?.job.if.expression).toBe("success()");
    expect(a?.steps.map((s) => s.step.if?.expression)).toEqual([
      "success()",
      "always()",
      "failure() || github.ref == 'x'",
    ]);
  });
});
