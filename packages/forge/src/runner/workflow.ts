import { ForgeError } from "../errors.js";
import { member, mappingMember } from "./tokens.js";
import type {
  ActionStep,
  Job,
  MappingToken,
  RunStep,
  TemplateToken,
  WorkflowTemplate,
} from "./tokens.js";
import {
  convertOn,
  convertWorkflowTemplate,
  isSequence,
  NoOperationTraceWriter,
  parseWorkflow,
} from "./vendor/actions.mjs";

/** A step with the keys GitHub's converter drops kept as raw tokens. */
export interface StepSpec {
  step: RunStep | ActionStep;
  with?: MappingToken;
  shell?: TemplateToken;
  workingDirectory?: TemplateToken;
  timeoutMinutes?: TemplateToken;
}

/** A job with the keys GitHub's converter drops kept as raw tokens. */
export interface JobSpec {
  job: Job;
  timeoutMinutes?: TemplateToken;
  continueOnError?: TemplateToken;
  /** `defaults.run` of the job. */
  defaultsRun?: MappingToken;
  steps: StepSpec[];
}

export interface ParsedWorkflow {
  template: WorkflowTemplate;
  /** `defaults.run` of the workflow. */
  defaultsRun?: MappingToken;
  env?: MappingToken;
  jobs: JobSpec[];
}

function parse(path: string, text: string) {
  const result = parseWorkflow({ name: path, content: text }, new NoOperationTraceWriter());
  return { result, errors: result.context.errors.getErrors().map((e) => e.message) };
}

function invalid(path: string, errors: string[]): ForgeError {
  return new ForgeError(
    "WORKFLOW_INVALID",
    `invalid workflow file ${path}:\n${errors.map((e) => `  ${e}`).join("\n")}`,
    { details: { file: path, errors } },
  );
}

/**
 * The `on:` of a workflow, read with GitHub's converter. Undefined when the
 * file is not YAML or has no readable `on:` (it then triggers nothing).
 */
export function parseOn(path: string, text: string): WorkflowTemplate["events"] | undefined {
  const { result } = parse(path, text);
  const on = member(result.value, "on");
  if (on === undefined) return undefined;
  try {
    return convertOn(result.context, on);
  } catch {
    return undefined;
  }
}

/** Parses and converts a workflow with GitHub's own parser; any schema error rejects it. */
export async function loadWorkflow(path: string, text: string): Promise<ParsedWorkflow> {
  const { result, errors } = parse(path, text);
  if (errors.length > 0 || result.value === undefined) throw invalid(path, errors);
  const template = await convertWorkflowTemplate(result.context, result.value);
  if (template.errors !== undefined && template.errors.length > 0) {
    throw invalid(
      path,
      template.errors.map((e) => e.Message),
    );
  }
  const rawJobs = mappingMember(result.value, "jobs");
  const jobs = template.jobs.map((job): JobSpec => {
    if (job.type !== "job") {
      throw new ForgeError(
        "WORKFLOW_UNSUPPORTED",
        `${path}: job '${job.id.value}' calls a reusable workflow; the forge runner runs only jobs with steps`,
      );
    }
    const raw = rawJobs?.find(job.id.value);
    return {
      job,
      timeoutMinutes: member(raw, "timeout-minutes"),
      continueOnError: member(raw, "continue-on-error"),
      defaultsRun: mappingMember(mappingMember(raw, "defaults"), "run"),
      steps: stepSpecs(job, member(raw, "steps")),
    };
  });
  return {
    template,
    defaultsRun: mappingMember(mappingMember(result.value, "defaults"), "run"),
    env: mappingMember(result.value, "env"),
    jobs,
  };
}

// The converter keeps steps in file order and drops only invalid ones (which
// are errors, refused above), so raw step i is converted step i.
function stepSpecs(job: Job, rawSteps: TemplateToken | undefined): StepSpec[] {
  const raws = rawSteps !== undefined && isSequence(rawSteps) ? [...rawSteps] : [];
  return job.steps.map((step, i): StepSpec => {
    if (!("run" in step) && !("uses" in step)) {
      throw new ForgeError(
        "WORKFLOW_UNSUPPORTED",
        `job '${job.id.value}' step ${i + 1}: only run: and uses: steps are supported`,
      );
    }
    const raw = raws[i];
    return {
      step,
      with: mappingMember(raw, "with"),
      shell: member(raw, "shell"),
      workingDirectory: member(raw, "working-directory"),
      timeoutMinutes: member(raw, "timeout-minutes"),
    };
  });
}
