/** actions/upload-artifact, natively: zip `path` and hand it to the forge. */
import { randomUUID } from "node:crypto";
import path from "node:path";
import { ForgeError } from "../../errors.js";
import type { JobRuntime } from "../job-runtime.js";
import { workspacePath } from "./paths.js";
import { collect, writeZip } from "./zip-tree.js";

const NO_FILES = ["error", "warn", "ignore"] as const;

export async function uploadArtifact(
  inputs: Record<string, string>,
  job: JobRuntime,
): Promise<void> {
  const name = inputs.name !== undefined && inputs.name !== "" ? inputs.name : "artifact";
  const ifNone = (inputs["if-no-files-found"] ?? "warn") as (typeof NO_FILES)[number];
  if (!NO_FILES.includes(ifNone)) {
    throw new ForgeError(
      "ACTION_FAILED",
      `actions/upload-artifact: if-no-files-found must be one of ${NO_FILES.join(", ")}`,
    );
  }
  const lines = (inputs.path ?? "")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
  if (lines.length === 0)
    throw new ForgeError("ACTION_FAILED", "actions/upload-artifact: input 'path' is required");
  const wild = lines.find((l) => /[*?[\]!]/.test(l));
  if (wild !== undefined) {
    throw new ForgeError(
      "ACTION_UNSUPPORTED",
      `actions/upload-artifact: path '${wild}': wildcards and exclusions are not supported by the forge runner; name files or directories`,
    );
  }
  const { entries, skipped } = await collect(lines.map((l) => workspacePath(job, l)));
  for (const s of skipped)
    job.log.warning(`not uploaded: ${s} (missing, or a symlink leaving the upload root)`);
  if (entries.length === 0) {
    const message = `no files were found with the provided path: ${lines.join(", ")}. No artifacts will be uploaded.`;
    if (ifNone === "error")
      throw new ForgeError("ACTION_FAILED", `actions/upload-artifact: ${message}`);
    if (ifNone === "warn") job.log.warning(message);
    return;
  }
  const zip = path.join(job.place.temp, `artifact-${randomUUID()}.zip`);
  const size = await writeZip(entries, zip);
  job.log.line(`artifact ${name}: ${entries.length} files, ${size} bytes zipped`);
  await job.host.uploadArtifact(name, zip);
}
