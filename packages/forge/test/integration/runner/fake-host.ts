/**
 * A RunnerHost as the forge would give one, over a real temporary git
 * repository: checkout clones it and checks out the commit, artifacts are
 * kept in a directory (a duplicate name rejected), job records collected.
 */
import { execa } from "execa";
import { copyFile, mkdir, mkdtemp, readdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import yauzl from "yauzl";
import type {
  JobRecord,
  RunContext,
  RunnerHost,
  RunRequest,
  WorkflowEvent,
} from "../../../src/runner/index.js";

export interface FakeHost extends RunnerHost {
  repo: string;
  artifacts: string;
  records: JobRecord[];
  checkouts: { ref: string; dir: string }[];
}

export async function git(cwd: string, ...args: string[]): Promise<string> {
  return (await execa("git", args, { cwd })).stdout;
}

/** A git repository holding `files`, committed on main; returns it and the commit. */
export async function makeRepo(
  files: Record<string, string>,
): Promise<{ repo: string; sha: string }> {
  const repo = await mkdtemp(path.join(os.tmpdir(), "lpctl-runner-repo-"));
  await git(repo, "init", "-q", "-b", "main");
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(repo, name)), { recursive: true });
    await writeFile(path.join(repo, name), text);
  }
  await git(repo, "add", "-A");
  await git(
    repo,
    "-c",
    "user.name=t",
    "-c",
    "user.email=t@example.invalid",
    "commit",
    "-qm",
    "init",
  );
  return { repo, sha: await git(repo, "rev-parse", "HEAD") };
}

export async function fakeHost(repo: string): Promise<FakeHost> {
  const artifacts = await mkdtemp(path.join(os.tmpdir(), "lpctl-runner-artifacts-"));
  const host: FakeHost = {
    repo,
    artifacts,
    records: [],
    checkouts: [],
    async checkout(ref, dir) {
      host.checkouts.push({ ref, dir });
      await git(dir, "clone", "-q", repo, ".");
      await git(dir, "checkout", "-q", "--detach", ref);
    },
    async uploadArtifact(name, zipFile) {
      if ((await readdir(artifacts)).includes(`${name}.zip`)) {
        throw new Error(`artifact ${name} exists`);
      }
      await copyFile(zipFile, path.join(artifacts, `${name}.zip`));
    },
    onJob(job) {
      host.records.push(job);
    },
  };
  return host;
}

/** The run request for `workflow` on a push of `sha` to main. */
export async function pushRun(
  host: FakeHost,
  sha: string,
  workflowText: string,
  event: Partial<WorkflowEvent> = {},
): Promise<RunRequest> {
  const context: RunContext = {
    repository: "octo/lab",
    repositoryOwner: "octo",
    sha,
    ref: "refs/heads/main",
    runId: 4242,
    runNumber: 7,
    runAttempt: 1,
    actor: "octocat",
    workflow: "build",
    token: "ghs_readonly",
    serverUrl: "http://127.0.0.1:1",
    apiUrl: "http://127.0.0.1:1/api/v3",
  };
  return {
    workflowPath: ".github/workflows/build.yml",
    workflowText,
    event: {
      name: "push",
      branch: "main",
      payload: { ref: "refs/heads/main", after: sha },
      ...event,
    },
    context,
    workDir: await mkdtemp(path.join(os.tmpdir(), "lpctl-runner-work-")),
    host,
  };
}

/** Names and contents of the entries of a zip file, read with yauzl. */
export async function readZip(file: string): Promise<Record<string, string>> {
  const zip = await yauzl.openPromise(file, { lazyEntries: true, strictFileNames: true });
  const out: Record<string, string> = {};
  try {
    for await (const entry of zip.eachEntry()) {
      const chunks: Buffer[] = [];
      for await (const c of await zip.openReadStreamPromise(entry)) chunks.push(c as Buffer);
      out[entry.fileName] = Buffer.concat(chunks).toString("utf8");
    }
  } finally {
    zip.close();
  }
  return out;
}
