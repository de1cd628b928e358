import path from "node:path";
import { ForgeError } from "../../errors.js";
import type { JobRuntime } from "../job-runtime.js";

/** `rel` inside the job's workspace; a path that leaves the workspace is refused. */
export function workspacePath(job: JobRuntime, rel: string): string {
  const root = job.place.workspace;
  const full = path.resolve(root, rel);
  if (full !== root && !full.startsWith(`${root}${path.sep}`)) {
    throw new ForgeError("PATH_UNSAFE", `path '${rel}' leaves the workspace ${root}`);
  }
  return full;
}
