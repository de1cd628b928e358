/** Shared pieces of the publisher integration tests: the CLI in-process, fake build outputs, GnuPG. */
import { execa } from "execa";
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "@livepatch-gitops/lpctl/cli/run";
import type { BuildReport } from "@livepatch-gitops/lpctl/core/build-report";
import { fakeReport, moduleBytes } from "./report-fixture.js";

import { REPO_ROOT } from "./repo-root.js";

export { REPO_ROOT };
/** Patch ids that exist in this repository's patches/ (titles and CVEs come from there). */
export const PATCH_IDS = ["cmdline-banner", "version-banner"];
/** The commit every fake build says it was built from (pass as --expect-commit). */
export const BUILT_COMMIT = "0123456789abcdef0123456789abcdef01234567";

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

export async function lpctl(...args: string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `lpctl-${prefix}-`));
}

/** `lpctl build`-like output: <dir>/<target>/build-report.json + module, module names carrying `tag`. */
export async function writeBuildOutputs(
  dir: string,
  targets: string[],
  tag: string,
  size = 4096,
  /** null: a local build that records no source. */
  source: BuildReport["source"] | null = {
    repository: "o/r",
    commit: BUILT_COMMIT,
    ref: "refs/heads/main",
    event: "push",
    workflowRun: "4242",
  },
): Promise<void> {
  for (const target of targets) {
    const report = { ...fakeReport(target, PATCH_IDS, size), ...(source ? { source } : {}) };
    const bytes = moduleBytes(`${target}-${tag}`, size);
    const file = `livepatch-${tag}-${target}.ko`;
    report.module = {
      ...(report.module ?? { vermagic: "" }),
      file,
      name: file.replace(/\.ko$/, "").replace(/[-.]/g, "_"),
      sha256: createHash("sha256").update(bytes).digest("hex"),
      length: bytes.length,
    };
    await mkdir(join(dir, target), { recursive: true });
    await writeFile(join(dir, target, "build-report.json"), JSON.stringify(report, null, 2));
    await writeFile(join(dir, target, file), bytes);
  }
}

/** Imports `publicKeyFile` into a fresh GnuPG home and runs `gpg --verify` on every .asc in `dir`. */
export async function gpgVerifyAll(
  dir: string,
  publicKeyFile: string,
): Promise<Map<string, string>> {
  const home = await tempDir("gnupg");
  await execa("chmod", ["700", home]);
  await execa("gpg", ["--homedir", home, "--batch", "--import", publicKeyFile]);
  const results = new Map<string, string>();
  for (const name of (await readdir(dir)).filter((n) => n.endsWith(".asc")).sort()) {
    const r = await execa(
      "gpg",
      [
        "--homedir",
        home,
        "--batch",
        "--status-fd",
        "1",
        "--verify",
        join(dir, name),
        join(dir, name.slice(0, -4)),
      ],
      { reject: false },
    );
    results.set(
      name,
      r.exitCode === 0 && /\[GNUPG:\] GOODSIG/.test(r.stdout)
        ? "GOODSIG"
        : `${r.exitCode}: ${r.stderr}`,
    );
  }
  return results;
}

/** The GitHub repository a publish goes to: API, `owner/name`, and the commit the builds came from. */
export interface GitHubTarget {
  apiUrl: string;
  repository: string;
  commit: string;
}

/**
 * `lpctl publish --github` of the build outputs in `tmp/b`, signed with the
 * key in `tmp/keys`, to `to` (token in LPCTL_TEST_TOKEN).
 */
export function publishToGitHub(
  tmp: string,
  to: GitHubTarget,
  ...extra: string[]
): Promise<CliResult> {
  return lpctl(
    "publish",
    "--reports",
    join(tmp, "b"),
    "--key",
    join(tmp, "keys/signing-key.asc"),
    "--repository",
    to.repository,
    "--checkout",
    REPO_ROOT,
    "--github",
    "--token-env",
    "LPCTL_TEST_TOKEN",
    "--api-url",
    to.apiUrl,
    "--commit",
    to.commit,
    "--expect-commit",
    to.commit,
    ...extra,
  );
}
