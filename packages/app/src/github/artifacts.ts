/**
 * A workflow run's artifacts, downloaded through the API and read with the
 * zip safety caps. A pull request decides how many artifacts its run
 * uploads and how large they are, so the run is bounded as a whole from the
 * listing before anything is downloaded, and each download is read as a
 * stream that stops at the byte cap.
 */
import { isLpctlError, LpctlError } from "@livepatch-gitops/lpctl/core/errors";
import { ARTIFACT_LIMITS, readArtifactZip } from "../artifact-zip.js";
import type { Octokit, RepoRef } from "./types.js";

/** One artifact: its files, or why it was refused (each artifact stands alone). */
export type Artifact = { id: number; name: string } & (
  { files: Map<string, Uint8Array> } | { error: LpctlError }
);

export interface RunLimits {
  /** Artifacts read from one run: a plan chunk builds at most 256 targets. */
  maxArtifacts: number;
  /** Listed bytes of the artifacts read, all together. */
  maxRunBytes: number;
}

export const RUN_LIMITS: RunLimits = { maxArtifacts: 256, maxRunBytes: 1024 * 1024 * 1024 };

export interface DownloadOptions {
  /** Which artifacts to read, by name (default: all); the rest are never downloaded. */
  accept?: (name: string) => boolean;
  /** Which zip entries to keep, by path (default: all); the rest are checked but not inflated. */
  entries?: (path: string) => boolean;
  limits?: RunLimits;
}

/** Every unexpired (accepted) artifact of run `runId`, unpacked in memory. */
export async function downloadRunArtifacts(
  octokit: Octokit,
  ref: RepoRef,
  runId: number,
  options: DownloadOptions = {},
): Promise<Artifact[]> {
  const limits = options.limits ?? RUN_LIMITS;
  const list = (await listArtifacts(octokit, ref, runId, limits))
    .filter((a) => !a.expired && (options.accept?.(a.name) ?? true))
    .sort((x, y) => (x.name < y.name ? -1 : 1));
  const refuse = (why: string) =>
    new LpctlError("ARTIFACT_UNSAFE", `run ${runId}: ${why}; no artifact of it was read`);
  if (list.length > limits.maxArtifacts)
    throw refuse(`${list.length} artifacts; at most ${limits.maxArtifacts} are read`);
  const listed = list.reduce((n, a) => n + Math.max(0, a.size_in_bytes), 0);
  if (listed > limits.maxRunBytes)
    throw refuse(`its artifacts hold ${listed} bytes; at most ${limits.maxRunBytes} are read`);
  const out: Artifact[] = [];
  for (const a of list) {
    const base = { id: a.id, name: a.name };
    try {
      if (a.size_in_bytes > ARTIFACT_LIMITS.maxTotalBytes)
        throw new LpctlError(
          "ARTIFACT_UNSAFE",
          `artifact ${a.name} is ${a.size_in_bytes} bytes; at most ${ARTIFACT_LIMITS.maxTotalBytes} are read`,
        );
      // A listed size may understate the download: the stream is cut at the cap either way.
      const zip = await downloadCapped(octokit, ref, a, ARTIFACT_LIMITS.maxTotalBytes);
      out.push({
        ...base,
        files: await readArtifactZip(zip, a.name, ARTIFACT_LIMITS, options.entries),
      });
    } catch (e) {
      if (!isLpctlError(e)) throw e;
      out.push({ ...base, error: e });
    }
  }
  return out;
}

interface Listed {
  id: number;
  name: string;
  size_in_bytes: number;
  expired: boolean;
}

/** The run's artifact list, refused when GitHub says it is longer than could be read (before paging through it). */
async function listArtifacts(
  octokit: Octokit,
  ref: RepoRef,
  runId: number,
  limits: RunLimits,
): Promise<Listed[]> {
  const out: Listed[] = [];
  for await (const page of octokit.paginate.iterator(
    octokit.rest.actions.listWorkflowRunArtifacts,
    { ...ref, run_id: runId, per_page: 100 },
  )) {
    // Non-build artifacts are listed too: allow a few beside a full chunk of builds.
    const total = (page.data as unknown as { total_count?: number }).total_count ?? 0;
    if (total > limits.maxArtifacts * 4)
      throw new LpctlError(
        "ARTIFACT_UNSAFE",
        `run ${runId}: ${total} artifacts listed; at most ${limits.maxArtifacts * 4} are looked at; no artifact of it was read`,
      );
    out.push(...(page.data as unknown as Listed[]));
  }
  return out;
}

/** An artifact download may take longer than an API call's deadline: it has its own. */
const DOWNLOAD_TIMEOUT_MS = 5 * 60_000;

/** The artifact's zip, read as a stream and cut off past `max` bytes. */
async function downloadCapped(
  octokit: Octokit,
  ref: RepoRef,
  a: Listed,
  max: number,
): Promise<Uint8Array> {
  const deadline = AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS);
  try {
    // GitHub answers with a 302 to storage; fetch follows it. The body is not buffered by Octokit.
    const res = await octokit.request(
      "GET /repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}",
      {
        ...ref,
        artifact_id: a.id,
        archive_format: "zip",
        request: { parseSuccessResponseBody: false, signal: deadline },
      },
    );
    const body = res.data as ReadableStream<Uint8Array> | null;
    if (body === null) return new Uint8Array();
    const chunks: Uint8Array[] = [];
    let n = 0;
    for await (const chunk of body) {
      n += chunk.length;
      // Leaving the loop by throwing cancels the stream: nothing more is read.
      if (n > max)
        throw new LpctlError(
          "ARTIFACT_UNSAFE",
          `artifact ${a.name}: the download passed ${max} bytes; the artifact was refused`,
        );
      chunks.push(chunk);
    }
    return new Uint8Array(Buffer.concat(chunks));
  } catch (e) {
    if (!deadline.aborted || isLpctlError(e)) throw e;
    throw new LpctlError(
      "GITHUB_TIMEOUT",
      `artifact ${a.name}: the download did not finish within ${DOWNLOAD_TIMEOUT_MS / 1000} s`,
      { cause: e },
    );
  }
}
