/** The run of `lpctl publish`: inputs verified, next version built, signed and written. */
import { plural } from "../../core/plural.js";
import { join } from "node:path";
import { readRepoSnapshot } from "../../builder/repo/read-repo.js";
import { cveDeclaration, recordsByTarget } from "../../core/cve-records.js";
import { checkRepository } from "../../core/repo-model.js";
import { snapshotPlanTree, type PlanTree } from "../../core/plan-tree.js";
import { withdrawnTargets } from "../../core/withdrawn.js";
import { readPublishedFile } from "../../publisher/published-file.js";
import { LpctlError } from "../../core/errors.js";
import type { PatchInfo } from "../../core/manifest-build.js";
import type { NotLivePatchable } from "../../core/not-live-patchable.js";
import { formatProblem } from "../../core/problem.js";
import type { ExpectedSource } from "../../core/provenance.js";
import { checkOwnSignature } from "../../publisher/check-own-signature.js";
import { createGitHubReleaseStore } from "../../publisher/github-release.js";
import { loadSigner } from "../../publisher/load-signer.js";
import { previousManifest } from "../../publisher/previous-manifest.js";
import { readBuildOutputs } from "../../publisher/read-build-outputs.js";
import { readPublishedDir, type PublishedDir } from "../../publisher/read-published.js";
import { latestManifest } from "../../publisher/release-manifest.js";
import { publishNext } from "../../publisher/publish-next.js";
import { readKeyFiles } from "../../publisher/read-key-files.js";
import { readRingsFile } from "../../publisher/read-rings.js";
import type { CommandContext } from "../program.js";
import { integer, isoTime } from "./parse-flags.js";

export interface PublishFlags {
  reports?: string[];
  refresh?: boolean;
  checkout: string;
  /** The old spelling of --checkout: refused with a pointer to the new one. */
  repo?: string;
  repository?: string;
  key?: string;
  previous?: string;
  from?: string;
  to?: string;
  github?: boolean;
  tokenEnv: string;
  apiUrl: string;
  commit?: string;
  expectCommit?: string;
  expectRun?: string;
  previousKey?: string[];
  keyLists?: string;
  lifetimeDays: string;
  now?: string;
  json?: boolean;
}

export async function publish(
  flags: PublishFlags,
  ctx: CommandContext,
  log: (line: string) => void,
): Promise<void> {
  const now = flags.now ? isoTime(flags.now) : new Date();
  const lifetimeDays = integer(flags.lifetimeDays, "--lifetime-days");
  const signer = await loadSigner(flags.key);
  // Our own key, plus keys this publisher signed with before a rotation.
  const ownKeys = [signer.publicKey, ...(await readKeyFiles(flags.previousKey ?? []))];
  const store = flags.github ? githubStore(flags, log) : undefined;
  const refresh: PublishedDir | undefined = flags.refresh
    ? await readPublishedDir(refreshSource(flags))
    : undefined;
  if (refresh)
    await checkOwnSignature(
      refresh.manifestBytes,
      refresh.signature,
      ownKeys,
      join(refreshSource(flags), "manifest.json"),
    );
  // GitHub's latest release is the source of truth when publishing there.
  const previous =
    flags.previous || flags.from || !store
      ? await previousManifest(
          {
            ...(flags.previous ? { file: flags.previous } : {}),
            ...(flags.from || flags.to ? { dir: flags.from ?? flags.to } : {}),
            required: flags.from !== undefined,
          },
          ownKeys,
        )
      : await latestManifest(store, ownKeys);
  const checkout = refresh ? undefined : await readCheckout(flags.checkout);
  // withdraw: a checkout that leaves published targets without a patch publishes without builds.
  const reportless =
    checkout !== undefined &&
    withdrawnTargets(previous, checkout.head).length > 0 &&
    !flags.reports?.length;
  const outputs = refresh || reportless ? undefined : await readBuildOutputs(requireReports(flags));
  const rings = await readRingsFile(flags.checkout);
  const { manifest, files, source } = await publishNext({
    signer,
    ownKeys,
    ...(previous ? { previous } : {}),
    ...(refresh ? { refresh } : {}),
    ...(outputs ? { outputs, provenance: expected(flags) } : {}),
    // A publish without builds carries every other target from the published mirror.
    ...(reportless
      ? {
          carry: {
            keep: () => true,
            modules: (file) => readPublishedFile(carrySource(flags), file).catch(() => undefined),
            where: carrySource(flags),
          },
        }
      : {}),
    ...(checkout ? { head: checkout.head, records: checkout.records } : {}),
    patches: checkout?.patches ?? {},
    ...(flags.repository ? { repository: flags.repository } : {}),
    now,
    lifetimeDays,
    ...(flags.keyLists ? { keyLists: flags.keyLists } : {}),
    ...(store && flags.commit ? { github: { store, commit: flags.commit } } : {}),
    ...(flags.to ? { mirror: flags.to } : {}),
    ...(rings ? { rings: { file: rings } } : {}),
    log,
  });
  log(
    `manifest version ${manifest.version}: ${plural(manifest.kernels.length, "target")}, expires ${manifest.expires}, signed by ${signer.fingerprint}${source ? `, built from ${source.repository}@${source.commit} (${source.event}, run ${source.workflowRun})` : ""}`,
  );
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
}

function expected(flags: PublishFlags): ExpectedSource {
  if (!flags.expectCommit)
    throw new LpctlError(
      "USAGE",
      "--reports needs --expect-commit SHA: the reviewed commit the builds must come from",
    );
  return {
    commit: flags.expectCommit,
    ...(flags.repository ? { repository: flags.repository } : {}),
    ...(flags.expectRun ? { workflowRun: flags.expectRun } : {}),
  };
}

function requireReports(flags: PublishFlags): string[] {
  if (!flags.reports?.length)
    throw new LpctlError(
      "USAGE",
      "pass --reports DIR... (or --refresh to re-issue the current content)",
    );
  return flags.reports;
}

/** The published directory a refresh re-signs, or a withdraw-only publish carries from. */
function sourceDir(flags: PublishFlags, missing: string): string {
  const dir = flags.from ?? flags.to;
  if (!dir) throw new LpctlError("USAGE", missing);
  return dir;
}

const refreshSource = (flags: PublishFlags): string =>
  sourceDir(
    flags,
    "--refresh needs --from DIR (a mirror or downloaded release) holding the current content",
  );

const carrySource = (flags: PublishFlags): string =>
  sourceDir(
    flags,
    "a publish that only withdraws modules (no --reports) needs --from DIR, the published mirror whose other modules it carries over",
  );

/**
 * Titles and CVEs from patches/<id>/patch.yaml (the upstream commit becomes
 * the patch's commit), every target's not-live-patchable records, and the
 * plan's view of the checkout: which targets still have an active patch,
 * which patches are withdrawn and why.
 */
async function readCheckout(dir: string): Promise<{
  patches: Record<string, PatchInfo>;
  records: Record<string, NotLivePatchable[]>;
  head: PlanTree;
}> {
  const snapshot = await readRepoSnapshot(dir);
  const { patches, problems } = checkRepository(snapshot);
  // A patch that does not validate would count as gone (its hosts would
  // unload it), and its records would vanish: refuse with its own code.
  const broken = problems.filter((p) => p.file.startsWith("patches/"));
  // A patch.yaml's own problem first: it says why a directory counts as having no patch.
  const first = broken.find((p) => p.file.endsWith("/patch.yaml")) ?? broken[0];
  if (first !== undefined)
    throw new LpctlError(
      first.code,
      `${formatProblem(first)} (${plural(broken.length, "problem")} under patches/ of ${dir}); publishing reads every patch.yaml (records-only ones too): run lpctl validate and fix them before publishing`,
    );
  const out: Record<string, PatchInfo> = {};
  for (const p of patches)
    out[p.id] = { title: p.title, cves: p.cves, ...(p.upstream ? { commit: p.upstream } : {}) };
  const records = recordsByTarget(patches.map((p) => cveDeclaration(p.id, p, p.targets)));
  return { patches: out, records, head: snapshotPlanTree(snapshot) };
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
