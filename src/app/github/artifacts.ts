/** A workflow run's artifacts, downloaded through the API and read with the zip safety caps. */
import { isLpctlError, LpctlError } from "../../core/errors.js";
import { ARTIFACT_LIMITS, readArtifactZip } from "../artifact-zip.js";
import type { Octokit, RepoRef } from "./types.js";

/** One artifact: its files, or why it was refused (each artifact stands alone). */
export type Artifact = { id: number; name: string } & (
  { files: Map<string, Uint8Array> } | { error: LpctlError }
);

/** Every unexpired artifact of run `runId`, unpacked in memory. */
export async function downloadRunArtifacts(
  octokit: Octokit,
  ref: RepoRef,
  runId: number,
): Promise<Artifact[]> {
  const list = await octokit.paginate(octokit.rest.actions.listWorkflowRunArtifacts, {
    ...ref,
    run_id: runId,
    per_page: 100,
  });
  const out: Artifact[] = [];
  for (const a of list.sort((x, y) => (x.name < y.name ? -1 : 1))) {
    if (a.expired) continue;
    const base = { id: a.id, name: a.name };
    if (a.size_in_bytes > ARTIFACT_LIMITS.maxTotalBytes) {
      out.push({
        ...base,
        error: new LpctlError(
          "ARTIFACT_UNSAFE",
          `artifact ${a.name} is ${a.size_in_bytes} bytes; at most ${ARTIFACT_LIMITS.maxTotalBytes} are read`,
        ),
      });
      continue;
    }
    // GitHub answers with a 302 to storage; fetch follows it and Octokit returns the bytes.
    const res = await octokit.rest.actions.downloadArtifact({
      ...ref,
      artifact_id: a.id,
      archive_format: "zip",
    });
    try {
      out.push({
        ...base,
        files: await readArtifactZip(new Uint8Array(res.data as ArrayBuffer), a.name),
      });
    } catch (e) {
      if (!isLpctlError(e)) throw e;
      out.push({ ...base, error: e });
    }
  }
  return out;
}
