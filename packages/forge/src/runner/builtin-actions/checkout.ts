/** actions/checkout, natively: the forge materialises the commit. */
import { mkdir } from "node:fs/promises";
import { execa } from "execa";
import type { JobRuntime } from "../job-runtime.js";
import { workspacePath } from "./paths.js";

export async function checkout(inputs: Record<string, string>, job: JobRuntime): Promise<void> {
  const dir = workspacePath(job, inputs.path ?? "");
  // `ref` may be a branch, tag or SHA; the forge resolves it in the run's repository.
  const ref = inputs.ref !== undefined && inputs.ref !== "" ? inputs.ref : job.context.sha;
  await mkdir(dir, { recursive: true });
  job.log.line(`checking out ${job.context.repository}@${ref} into ${dir}`);
  await job.host.checkout(ref, dir);
  // persist-credentials (default true) leaves the token in the local git
  // config, as actions/checkout does, so later git commands authenticate.
  if ((inputs["persist-credentials"] ?? "true") !== "false") {
    const basic = Buffer.from(`x-access-token:${job.context.token}`).toString("base64");
    const key = `http.${job.context.serverUrl.replace(/\/?$/, "/")}.extraheader`;
    const r = await execa(
      "git",
      ["-C", dir, "config", "--local", key, `AUTHORIZATION: basic ${basic}`],
      {
        reject: false,
      },
    );
    // A host that materialises a plain tree (no .git) has nowhere to keep it.
    if (r.failed) job.log.warning(`persist-credentials: no git config to write (${r.stderr})`);
    else job.log.line("persisted the run's read-only token in the local git config");
  }
}
