/**
 * A stand-in for the forge's Actions runner (the real one parses workflows
 * with GitHub's parser): `on:` read with the yaml package (event names and
 * push `branches` only), every job under `jobs:` "runs" by checking out the
 * commit, probing the run token, and uploading one artifact zip, all through
 * the RunnerHost the forge provides — the seam under test.
 */
import { createWriteStream } from "node:fs";
import { appendFile, mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import yazl from "yazl";
import type { ForgeRunner } from "../../src/index.js";
import type { JobRecord, RunRequest, RunResult, WorkflowEvent } from "../../src/runner/contract.js";

interface Workflow {
  on?: string | string[] | Record<string, { branches?: string[] } | null>;
  jobs?: Record<string, { "fake-fail"?: boolean }>;
}

function triggers(text: string, event: WorkflowEvent): boolean {
  const on = (parse(text) as Workflow).on;
  if (typeof on === "string") return on === event.name;
  if (Array.isArray(on)) return on.includes(event.name);
  if (!on || !(event.name in on)) return false;
  const branches = on[event.name]?.branches;
  return branches === undefined || branches.includes(event.branch);
}

async function zip(file: string, name: string, content: string): Promise<void> {
  const z = new yazl.ZipFile();
  z.addBuffer(Buffer.from(content), name);
  z.end();
  await new Promise<void>((resolve, reject) => {
    z.outputStream.pipe(createWriteStream(file)).on("close", resolve).on("error", reject);
  });
}

export interface FakeRunner extends ForgeRunner {
  requests: RunRequest[];
  /** Holds every run until released (to catch a run in progress). */
  hold?: Promise<void>;
}

export function fakeRunner(): FakeRunner {
  const runner: FakeRunner = {
    requests: [],
    workflowTriggers: triggers,
    async runWorkflow(req: RunRequest): Promise<RunResult> {
      runner.requests.push(req);
      if (runner.hold) await runner.hold;
      const wf = parse(req.workflowText) as Workflow;
      const jobs: JobRecord[] = [];
      for (const [name, spec] of Object.entries(wf.jobs ?? {})) {
        const logFile = join(req.workDir, `${name}.log`);
        const log = (line: string) => appendFile(logFile, line + "\n");
        const job: JobRecord = {
          name,
          status: "in_progress",
          startedAt: new Date().toISOString(),
          logFile,
          steps: [{ name: "checkout", number: 1 }],
        };
        await writeFile(logFile, `job ${name} on ${req.context.sha}\n`);
        req.host.onJob({ ...job });
        const ws = join(req.workDir, "ws", name);
        await mkdir(ws, { recursive: true });
        await req.host.checkout(req.context.sha, ws);
        await log(`files: ${(await readdir(ws)).sort().join(" ")}`);
        const gitConfig = await readFile(join(ws, ".git/config"), "utf8");
        await log(
          gitConfig.includes("ghs_") || gitConfig.includes("@")
            ? "credentials in .git/config"
            : "no credentials in .git/config",
        );
        const auth = { authorization: `token ${req.context.token}` };
        const read = await fetch(`${req.context.apiUrl}/repos/${req.context.repository}`, {
          headers: auth,
        });
        const write = await fetch(
          `${req.context.apiUrl}/repos/${req.context.repository}/releases`,
          {
            method: "POST",
            headers: { ...auth, "content-type": "application/json" },
            body: JSON.stringify({ tag_name: `from-run-${req.context.runId}` }),
          },
        );
        await log(`token read ${read.status} write ${write.status}`);
        const zipFile = join(req.workDir, `${name}.zip`);
        await zip(zipFile, "result.txt", `result of ${name} at ${req.context.sha}\n`);
        await req.host.uploadArtifact(`${name}-output`, zipFile);
        const again = await req.host.uploadArtifact(`${name}-output`, zipFile).then(
          () => "accepted",
          (e: Error) => e.message,
        );
        await log(`second upload: ${again}`);
        const conclusion = spec["fake-fail"] ? "failure" : "success";
        jobs.push({
          ...job,
          status: "completed",
          conclusion,
          completedAt: new Date().toISOString(),
          steps: [{ name: "checkout", number: 1, conclusion }],
        });
        req.host.onJob(jobs[jobs.length - 1]);
      }
      return {
        conclusion: jobs.some((j) => j.conclusion === "failure") ? "failure" : "success",
        jobs,
      };
    },
  };
  return runner;
}
