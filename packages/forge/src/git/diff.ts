/**
 * A diff between two commits as GitHub's `diff-entry` list: status, blob
 * sha, line counts and the per-file `patch` (the hunks, without git's
 * header lines), from three git diff runs with the same options.
 */
import type { GitRepos } from "./repos.js";

export interface FileDiff {
  filename: string;
  previousFilename?: string;
  status: "added" | "removed" | "modified" | "renamed" | "copied" | "changed";
  sha: string | null;
  additions: number;
  deletions: number;
  patch?: string;
}

const STATUS: Record<string, FileDiff["status"]> = {
  A: "added",
  D: "removed",
  M: "modified",
  R: "renamed",
  C: "copied",
  T: "changed",
};

interface RawEntry {
  status: FileDiff["status"];
  oldSha: string;
  newSha: string;
  path: string;
  previous?: string;
}

function parseRaw(out: string): RawEntry[] {
  const parts = out.split("\x00");
  const entries: RawEntry[] = [];
  for (let i = 0; i < parts.length;) {
    const meta = parts[i] ?? "";
    if (!meta.startsWith(":")) {
      i += 1;
      continue;
    }
    const [, , oldSha = "", newSha = "", code = "M"] = meta.slice(1).split(" ");
    const status = STATUS[code.charAt(0)] ?? "modified";
    if (status === "renamed" || status === "copied") {
      entries.push({
        status,
        oldSha,
        newSha,
        previous: parts[i + 1] ?? "",
        path: parts[i + 2] ?? "",
      });
      i += 3;
    } else {
      entries.push({ status, oldSha, newSha, path: parts[i + 1] ?? "" });
      i += 2;
    }
  }
  return entries;
}

function parseNumstat(out: string): { add: number; del: number }[] {
  const counts: { add: number; del: number }[] = [];
  const parts = out.split("\x00");
  for (let i = 0; i < parts.length; i++) {
    const m = /^(\d+|-)\t(\d+|-)\t(.*)$/s.exec(parts[i] ?? "");
    if (!m) continue;
    counts.push({ add: m[1] === "-" ? 0 : Number(m[1]), del: m[2] === "-" ? 0 : Number(m[2]) });
    // A rename's two paths follow as their own fields when the path field is empty.
    if (m[3] === "") i += 2;
  }
  return counts;
}

/** Splits `git diff` output into per-file hunks (undefined for binary files). */
function parsePatches(out: string): (string | undefined)[] {
  const blocks = out.split(/^diff --git /m).slice(1);
  return blocks.map((block) => {
    const at = block.search(/^@@ /m);
    if (at < 0) return undefined;
    return block.slice(at).replace(/\n$/, "");
  });
}

export async function diffFiles(
  git: GitRepos,
  repoId: number,
  base: string,
  head: string,
): Promise<FileDiff[]> {
  const opts = ["-M", "--no-color", "--no-ext-diff", base, head, "--"];
  const [raw, num, patch] = await Promise.all([
    git.run(repoId, ["diff", "--raw", "-z", "--abbrev=40", ...opts]),
    git.run(repoId, ["diff", "--numstat", "-z", ...opts]),
    git.run(repoId, ["diff", ...opts]),
  ]);
  const entries = parseRaw(raw.stdout);
  const counts = parseNumstat(num.stdout);
  const patches = parsePatches(patch.stdout);
  return entries.map((e, i) => {
    const c = counts[i] ?? { add: 0, del: 0 };
    const p = patches[i];
    return {
      filename: e.path,
      ...(e.previous !== undefined ? { previousFilename: e.previous } : {}),
      status: e.status,
      sha: e.status === "removed" ? null : e.newSha,
      additions: c.add,
      deletions: c.del,
      ...(p !== undefined ? { patch: p } : {}),
    };
  });
}

/** GitHub's diff-entry JSON for one file. */
export function diffEntryJson(
  repoApi: string,
  repoHtml: string,
  head: string,
  f: FileDiff,
): Record<string, unknown> {
  const path = f.filename.split("/").map(encodeURIComponent).join("/");
  return {
    sha: f.sha,
    filename: f.filename,
    status: f.status,
    additions: f.additions,
    deletions: f.deletions,
    changes: f.additions + f.deletions,
    blob_url: `${repoHtml}/blob/${head}/${path}`,
    raw_url: `${repoHtml}/raw/${head}/${path}`,
    contents_url: `${repoApi}/contents/${path}?ref=${head}`,
    ...(f.patch !== undefined ? { patch: f.patch } : {}),
    ...(f.previousFilename !== undefined ? { previous_filename: f.previousFilename } : {}),
  };
}
