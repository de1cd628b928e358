/**
 * A `run:` step as GitHub's runner runs it: the script in a temp file, run by
 * the shell's command line, with fresh $GITHUB_OUTPUT/$GITHUB_ENV/
 * $GITHUB_PATH/$GITHUB_STEP_SUMMARY files read back afterwards.
 */
import { randomUUID } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { StepConclusion } from "./contract.js";
import { parseKeyValueFile, parsePathFile } from "./command-files.js";
import type { JobRuntime } from "./job-runtime.js";
import { runLogged } from "./process.js";
import { shellArgs, shellCommand } from "./shell.js";

export interface ScriptStep {
  script: string;
  shell: string;
  cwd: string;
  env: Record<string, string>;
  timeoutMs?: number;
}

export interface ScriptResult {
  outcome: StepConclusion;
  outputs: Record<string, string>;
}

export async function runScript(step: ScriptStep, rt: JobRuntime): Promise<ScriptResult> {
  const cmd = shellCommand(step.shell);
  const id = randomUUID();
  const dir = path.join(rt.place.temp, "_runner_file_commands");
  await mkdir(dir, { recursive: true });
  const files = {
    GITHUB_OUTPUT: path.join(dir, `set_output_${id}`),
    GITHUB_ENV: path.join(dir, `set_env_${id}`),
    GITHUB_PATH: path.join(dir, `add_path_${id}`),
    GITHUB_STEP_SUMMARY: path.join(dir, `step_summary_${id}`),
  };
  for (const f of Object.values(files)) await writeFile(f, "");
  const script = path.join(rt.place.temp, `${id}${cmd.extension}`);
  await writeFile(script, step.script);
  const args = shellArgs(cmd, script);
  rt.log.line(`shell: ${[cmd.file, ...cmd.args].join(" ")}`);
  const command = rt.sandbox ? rt.sandbox.wrap(cmd.file, args, step.cwd) : { file: cmd.file, args };
  const outcome = await runLogged(command.file, command.args, {
    cwd: step.cwd,
    env: { ...step.env, ...files },
    log: rt.log,
    // A step started after the cancellation (if: always(), cancelled()) runs
    // to its end, as on GitHub; only the step running when it came is stopped.
    signal: rt.signal.aborted ? new AbortController().signal : rt.signal,
    timeoutMs: step.timeoutMs,
  });
  // File commands count even when the step fails, as on GitHub.
  const outputs = parseKeyValueFile(await readFile(files.GITHUB_OUTPUT, "utf8"), "$GITHUB_OUTPUT");
  Object.assign(rt.env, parseKeyValueFile(await readFile(files.GITHUB_ENV, "utf8"), "$GITHUB_ENV"));
  for (const p of parsePathFile(await readFile(files.GITHUB_PATH, "utf8"))) rt.path.unshift(p);
  switch (outcome.kind) {
    case "exited":
      if (outcome.code !== 0) rt.log.error(`Process completed with exit code ${outcome.code}.`);
      return { outcome: outcome.code === 0 ? "success" : "failure", outputs };
    case "cancelled":
      rt.log.error("The operation was canceled.");
      return { outcome: "cancelled", outputs };
    case "timed-out":
      rt.log.error(`The step exceeded its timeout of ${(step.timeoutMs ?? 0) / 60_000} minutes.`);
      return { outcome: "failure", outputs };
    case "killed":
      rt.log.error(`The process was killed by ${outcome.signal}.`);
      return { outcome: "failure", outputs };
    case "not-started":
      rt.log.error(`${cmd.file} did not start: ${outcome.message}`);
      return { outcome: "failure", outputs };
  }
}
