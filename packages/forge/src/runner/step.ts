/** Runs one step of a leg: condition, environment, `run:` or a native action. */
import { stat } from "node:fs/promises";
import path from "node:path";
import { isForgeError, ForgeError } from "../errors.js";
import { nativeAction } from "./builtin-actions/index.js";
import { workspacePath } from "./builtin-actions/paths.js";
import { defaultEnv, hostEnv } from "./contexts.js";
import type { StepConclusion } from "./contract.js";
import { evaluateCondition, isTrue, type Json } from "./expressions.js";
import type { LegState } from "./leg.js";
import { runScript } from "./run-script.js";
import { evaluateString, evaluateStringMap, evaluateToken } from "./template.js";
import { member } from "./tokens.js";
import type { StepSpec } from "./workflow.js";

/** The name GitHub shows for a step. */
export function stepName(spec: StepSpec, state: LegState): string {
  const { step } = spec;
  if (step.name !== undefined) {
    try {
      return evaluateString(step.name, state.scope());
    } catch {
      // a name referring to later state falls back to the default
    }
  }
  if ("run" in step) {
    try {
      return `Run ${evaluateString(step.run, state.scope()).trim().split("\n")[0] ?? ""}`;
    } catch {
      return "Run script";
    }
  }
  return `Run ${step.uses.value}`;
}

function minutes(value: Json, what: string): number | undefined {
  if (value === null) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    throw new ForgeError("WORKFLOW_INVALID", `${what} must be a positive number`);
  }
  return n * 60_000;
}

/** The shell or working directory: the step's, else the job's defaults, else the workflow's. */
function runDefault(spec: StepSpec, state: LegState, key: "shell" | "working-directory"): string {
  const own = key === "shell" ? spec.shell : spec.workingDirectory;
  const token =
    own ??
    member(state.leg.spec.defaultsRun, key) ??
    member(state.shared.workflow.defaultsRun, key);
  return token === undefined ? "" : evaluateString(token, state.scope());
}

async function execute(spec: StepSpec, state: LegState, name: string): Promise<StepConclusion> {
  const { step } = spec;
  const { rt } = state;
  const stepEnv = evaluateStringMap(step.env, state.scope());
  const scope = state.scope(stepEnv);
  if ("uses" in step) {
    const action = nativeAction(step.uses.value);
    const inputs = Object.fromEntries(
      Object.entries(evaluateStringMap(spec.with, scope)).map(([k, v]) => [k.toLowerCase(), v]),
    );
    rt.log.line(`with: ${JSON.stringify(inputs)}`);
    await action(inputs, rt);
    return "success";
  }
  const host = hostEnv(process.env);
  const env = {
    ...host,
    ...state.shared.req.runnerEnv,
    ...defaultEnv(rt.context, state.shared.req.event, rt.place),
    PATH: [
      ...rt.path,
      state.shared.req.runnerEnv?.PATH ?? host.PATH ?? "/usr/local/bin:/usr/bin:/bin",
    ].join(path.delimiter),
    ...state.env(),
    ...stepEnv,
  };
  const timeout = spec.timeoutMinutes && evaluateToken(spec.timeoutMinutes, scope);
  const dir = runDefault(spec, state, "working-directory");
  const cwd = workspacePath(rt, dir);
  if (!(await isDirectory(cwd))) {
    throw new ForgeError(
      "FILE_MISSING",
      `working-directory '${dir}' does not exist in the workspace`,
    );
  }
  const result = await runScript(
    {
      script: evaluateString(step.run, scope),
      shell: runDefault(spec, state, "shell"),
      cwd,
      env,
      timeoutMs: timeout === undefined ? undefined : minutes(timeout, `${name}: timeout-minutes`),
    },
    rt,
  );
  if (step.id !== "" && !step.id.startsWith("__")) {
    state.steps[step.id] = {
      outputs: result.outputs,
      outcome: result.outcome,
      conclusion: result.outcome,
    };
  }
  return result.outcome;
}

/** Runs (or skips) one step and records it in the leg state; returns its conclusion. */
export async function runStep(
  spec: StepSpec,
  state: LegState,
  name: string,
): Promise<StepConclusion> {
  const { step } = spec;
  const { log } = state.rt;
  let outcome: StepConclusion;
  try {
    const condition = step.if?.expression ?? "success()";
    if (!evaluateCondition(condition, state.scope())) {
      log.line(`skipped: ${name} (if: ${condition})`);
      outcome = "skipped";
    } else {
      log.group(name);
      try {
        outcome = await execute(spec, state, name);
      } finally {
        log.endGroup();
      }
    }
  } catch (e) {
    if (!isForgeError(e) && !(e instanceof Error)) throw e;
    log.error(e.message);
    outcome = state.rt.signal.aborted ? "cancelled" : "failure";
  }
  const tolerated = outcome === "failure" && continueOnError(spec, state);
  const conclusion = tolerated ? "success" : outcome;
  if (step.id !== "" && !step.id.startsWith("__")) {
    state.steps[step.id] = { outputs: state.steps[step.id]?.outputs ?? {}, outcome, conclusion };
  }
  if (conclusion === "failure") state.status = "failure";
  return conclusion;
}

function continueOnError(spec: StepSpec, state: LegState): boolean {
  const coe = spec.step["continue-on-error"];
  if (typeof coe !== "object") return coe === true;
  try {
    return isTrue(evaluateToken(coe, state.scope()));
  } catch (e) {
    state.rt.log.error(`continue-on-error: ${e instanceof Error ? e.message : String(e)}`);
    return false;
  }
}

const isDirectory = (p: string) =>
  stat(p).then(
    (s) => s.isDirectory(),
    () => false,
  );
