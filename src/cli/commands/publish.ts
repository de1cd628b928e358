/**
 * `lpctl publish`: builds the next signed manifest from build outputs (or
 * re-issues the current one with --refresh) and publishes it to a mirror
 * directory (--to) and/or a GitHub release (--github).
 */
import type { Command } from "commander";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { loadRepository } from "../../builder/read-repo.js";
import { LpctlError } from "../../core/errors.js";
import type { PatchInfo } from "../../core/manifest-build.js";
import type { Manifest } from "../../core/manifest.js";
import { parseStrictJson } from "../../core/strict-json.js";
import { parseManifestValue } from "../../core/verify/check-manifest.js";
import { createGitHubReleaseStore } from "../../publisher/github-release.js";
import { loadSigner } from "../../publisher/load-signer.js";
import { checkOwnSignature } from "../../publisher/check-own-signature.js";
import { writeMirror } from "../../publisher/mirror-directory.js";
import { prepareRelease } from "../../publisher/prepare-release.js";
import { publishRelease } from "../../publisher/publish-release.js";
import { readBuildOutputs } from "../../publisher/read-build-outputs.js";
import { readPublishedDir, type PublishedDir } from "../../publisher/read-published.js";
import { latestManifest, resumeWindow } from "../../publisher/release-manifest.js";
import type { CommandContext } from "../program.js";
import { integer, isoTime } from "./parse-flags.js";

interface PublishFlags {
  reports?: string[];
  refresh?: boolean;
  repo: string;
  repository?: string;
  key?: string;
  previous?: string;
  from?: string;
  to?: string;
  github?: boolean;
  tokenEnv: string;
  apiUrl: string;
  commit?: string;
  lifetimeDays: string;
  now?: string;
  json?: boolean;
}

export function registerPublish(program: Command, ctx: CommandContext): void {
  program
    .command("publish")
    .description("sign and publish the next manifest version with its modules")
    .option("--reports <dir...>", "build output directories (build-report.json beside the module)")
    .option("--refresh", "re-issue the current content (--from DIR) with a new version and expiry")
    .option("--repo <dir>", "repository checkout for patch titles and CVEs", ".")
    .option(
      "--repository <owner/repo>",
      "repository named in the manifest (and the GitHub release's)",
    )
    .option("--key <file>", "armored private signing key (default: $LPCTL_SIGNING_KEY)")
    .option("--previous <file>", "previous manifest.json (its version + 1 is published)")
    .option(
      "--from <dir>",
      "previously published directory: previous manifest, and the content for --refresh",
    )
    .option("--to <dir>", "write the release into this mirror directory")
    .option("--github", "publish a GitHub release v<version>")
    .option("--token-env <var>", "environment variable with the GitHub token", "GITHUB_TOKEN")
    .option("--api-url <url>", "GitHub REST API base URL", "https://api.github.com")
    .option("--commit <sha>", "commit the release tag points at (with --github)")
    .option("--lifetime-days <n>", "days until the manifest expires", "14")
    .option("--now <iso>", "reference time (default: now)")
    .option("--json", "print the result as JSON")
    .action(async (flags: PublishFlags) => {
      if (!flags.to && !flags.github)
        throw new LpctlError("USAGE", "say where to publish: --to DIR and/or --github");
      if (flags.github && !flags.commit)
        throw new LpctlError(
          "USAGE",
          "--github needs --commit SHA (the merge commit that was built)",
        );
      const now = flags.now ? isoTime(flags.now) : new Date();
      const signer = await loadSigner(flags.key);
      const log = (line: string): void =>
        flags.json ? ctx.output.err(line) : ctx.output.out(line);
      const store = flags.github ? githubStore(flags, log) : undefined;
      const refresh: PublishedDir | undefined = flags.refresh
        ? await readPublishedDir(refreshSource(flags))
        : undefined;
      if (refresh)
        await checkOwnSignature(
          refresh.manifestBytes,
          refresh.signature,
          signer.publicKey,
          refreshSource(flags),
        );
      // GitHub's latest release is the source of truth when publishing there.
      const previous =
        flags.previous || flags.from || !store
          ? await previousManifest(flags, signer.publicKey)
          : await latestManifest(store);
      const version = (previous?.version ?? refresh?.manifest.version ?? 0) + 1;
      const window = store ? await resumeWindow(store, `v${version}`) : undefined;
      const prepared = await prepareRelease({
        ...(previous ? { previous } : {}),
        ...(refresh ? { refresh } : { outputs: await readBuildOutputs(requireReports(flags)) }),
        patches: refresh ? {} : await patchInfo(flags.repo),
        ...(flags.repository ? { repository: flags.repository } : {}),
        now,
        lifetimeDays: integer(flags.lifetimeDays, "--lifetime-days"),
        signer,
        ...(window ? { window } : {}),
      });
      const { manifest, files } = prepared;
      log(
        `manifest version ${manifest.version}: ${manifest.kernels.length} targets, expires ${manifest.expires}, signed by ${signer.fingerprint}`,
      );
      if (store && flags.commit)
        await publishRelease({
          store,
          version: manifest.version,
          commit: flags.commit,
          files,
          log,
        });
      if (flags.to) await writeMirror(flags.to, files, log);
      if (flags.json) {
        ctx.output.out(
          JSON.stringify(
            {
              version: manifest.version,
              expires: manifest.expires,
              targets: manifest.kernels.map((k) => k.target),
              files: files.map((f) => f.name),
            },
            null,
            2,
          ),
        );
      }
    });
}

function requireReports(flags: PublishFlags): string[] {
  if (!flags.reports?.length)
    throw new LpctlError(
      "USAGE",
      "pass --reports DIR... (or --refresh to re-issue the current content)",
    );
  return flags.reports;
}

function refreshSource(flags: PublishFlags): string {
  const dir = flags.from ?? flags.to;
  if (!dir)
    throw new LpctlError(
      "USAGE",
      "--refresh needs --from DIR (a mirror or downloaded release) holding the current content",
    );
  return dir;
}

/**
 * --previous FILE (taken as given: how an operator vouches for the previous
 * version after a key rotation), else the manifest in --from DIR or the --to
 * directory, whose signature must verify with our own key.
 */
async function previousManifest(
  flags: PublishFlags,
  publicKey: string,
): Promise<Manifest | undefined> {
  if (flags.previous) {
    const bytes = await readOrFail(flags.previous, "--previous");
    return parseManifestValue(parseStrictJson(bytes, flags.previous));
  }
  const dir = flags.from ?? flags.to;
  if (!dir) return undefined;
  const manifest = await readFile(join(dir, "manifest.json")).catch(() => undefined);
  if (manifest === undefined) {
    if (flags.from) throw new LpctlError("FILE_MISSING", `${flags.from} holds no manifest.json`);
    return undefined; // a new mirror directory: this is version 1
  }
  const signature = await readOrFail(join(dir, "manifest.json.asc"), "the signature");
  return checkOwnSignature(new Uint8Array(manifest), signature, publicKey, dir);
}

async function readOrFail(file: string, what: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(file));
  } catch (e) {
    throw new LpctlError("FILE_MISSING", `cannot read ${what} ${file}: ${String(e)}`, {
      cause: e,
    });
  }
}

/** Titles and CVEs from patches/<id>/patch.yaml; the upstream commit becomes the patch's commit. */
async function patchInfo(repo: string): Promise<Record<string, PatchInfo>> {
  const { patches } = await loadRepository(repo);
  const out: Record<string, PatchInfo> = {};
  for (const p of patches)
    out[p.id] = { title: p.title, cves: p.cves, ...(p.upstream ? { commit: p.upstream } : {}) };
  return out;
}

function githubStore(
  flags: PublishFlags,
  log: (line: string) => void,
): ReturnType<typeof createGitHubReleaseStore> {
  const token = process.env[flags.tokenEnv];
  if (!token)
    throw new LpctlError("USAGE", `environment variable ${flags.tokenEnv} holds no GitHub token`);
  if (!flags.repository) throw new LpctlError("USAGE", "--github needs --repository OWNER/REPO");
  return createGitHubReleaseStore({
    repository: flags.repository,
    token,
    apiUrl: flags.apiUrl,
    log,
  });
}
