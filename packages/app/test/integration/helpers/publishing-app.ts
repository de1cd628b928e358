/**
 * The publishing app on the in-process forge, for the tests that sign
 * releases: the app under Probot's webhook middleware with a real signing
 * key, repository acme/patches (maintainer, and mallory with push access)
 * seeded from this checkout with only the lab target, and a stub Actions
 * runner for build.yml that uploads a build artifact made like `lpctl
 * build` leaves it.
 */
import { Octokit } from "@octokit/rest";
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createNodeMiddleware, Probot, ProbotOctokit } from "probot";
import { appDeps } from "../../../src/deps.js";
import { livepatchApp } from "../../../src/index.js";
import type { BuildReport } from "@livepatch-gitops/lpctl/core/build-report";
import { generateSigningKey } from "@livepatch-gitops/lpctl/core/sign/generate-signing-key";
import { createOpenpgpSigner } from "@livepatch-gitops/lpctl/core/sign/openpgp-signer";
import { startForge, type Forge } from "@livepatch-gitops/forge";
import type { RunRequest, RunResult } from "@livepatch-gitops/forge/runner/contract";
import {
  appManifest,
  freePort,
  git,
  seedWorkingCopy,
} from "@livepatch-gitops/test-support/forge-loop";
import { fakeReport, moduleBytes } from "@livepatch-gitops/test-support/report-fixture";
import { makeZip } from "../../unit/helpers/zip.js";

export const REPO = { owner: "acme", repo: "patches" };
export const FULL = `${REPO.owner}/${REPO.repo}`;
export const TARGET = "debian-6.1-lab";
const quiet = () => undefined;

export interface PublishingApp {
  forge: Forge;
  /** The working copy of acme/patches (its first commit not pushed yet). */
  wc: string;
  tokens: Record<string, string>;
  /** The app's public signing key. */
  publicKey: string;
  kit(who: string): Octokit;
  close(): Promise<void>;
}

/** Check run `name` on `sha` once it completed, read as the maintainer. */
export async function completedCheckOn(t: PublishingApp, sha: string, name: string) {
  const { data } = await t.kit("maintainer").rest.checks.listForRef({
    ...REPO,
    ref: sha,
    check_name: name,
  });
  const run = data.check_runs[0];
  return run?.status === "completed" ? run : undefined;
}

/** build.yml's stand-in for `req`: one artifact for the lab target from this run. */
export async function uploadLabBuild(req: RunRequest): Promise<void> {
  await uploadZip(req, `build-${TARGET}`, await labBuildZip(req));
}

/** Stores `zip` as artifact `name` of the run `req` is. */
export async function uploadZip(req: RunRequest, name: string, zip: Uint8Array): Promise<void> {
  const file = path.join(req.workDir, `${name}.zip`);
  await writeFile(file, zip);
  await req.host.uploadArtifact(name, file);
}

/** The zip `lpctl build` leaves for `target` (default the lab one) in run `req`: report and module (`claims` overrides its source). */
export async function labBuildZip(
  req: RunRequest,
  claims: Partial<NonNullable<BuildReport["source"]>> = {},
  target = TARGET,
): Promise<Uint8Array> {
  const { sha, runId } = req.context;
  const bytes = moduleBytes(`${target}-${String(runId)}`);
  const file = `livepatch-r${String(runId)}-${target}.ko`;
  const report: BuildReport = {
    ...fakeReport(target, ["cmdline-banner", "version-banner"]),
    module: {
      file,
      name: file.replace(/\.ko$/, "").replace(/[-.]/g, "_"),
      sha256: createHash("sha256").update(bytes).digest("hex"),
      length: bytes.length,
      vermagic: "6.1.0 SMP",
    },
    source: {
      repository: FULL,
      commit: sha,
      ref: req.context.ref,
      event: req.event.name,
      workflowRun: String(runId),
      ...claims,
    },
  };
  return makeZip([
    { name: "build-report.json", data: JSON.stringify(report) },
    { name: file, data: bytes },
  ]);
}

/** Starts the forge (push runs go to `runBuild`) and the app; `seed` edits the first commit. */
export async function startPublishingApp(
  runBuild: (req: RunRequest) => Promise<RunResult>,
  seed: (wc: string) => Promise<void> = () => Promise.resolve(),
): Promise<PublishingApp> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "lpctl-forge-publish-"));
  const forge = await startForge({
    dataDir: path.join(dir, "forge"),
    runner: { workflowTriggers: (_text, event) => event.name === "push", runWorkflow: runBuild },
  });
  const tokens: Record<string, string> = {};
  for (const who of ["maintainer", "mallory"]) tokens[who] = (await forge.createUser(who)).token;
  await forge.createOrg(REPO.owner, "maintainer");
  await forge.createRepo(REPO.owner, REPO.repo);
  await forge.addCollaborator(REPO.owner, REPO.repo, "mallory", "push");

  const port = await freePort();
  const app = await forge.registerApp(
    await appManifest(`http://127.0.0.1:${String(port)}/api/github/webhooks`),
  );
  await forge.installApp(app.appId, REPO.owner);
  const key = await generateSigningKey({ name: "forge publisher" });
  const signer = await createOpenpgpSigner(key.privateKey);
  const probot = new Probot({
    appId: app.appId,
    privateKey: app.privateKeyPem,
    secret: app.webhookSecret,
    baseUrl: forge.apiUrl,
    logLevel: "fatal",
    Octokit: ProbotOctokit.defaults((o: object) => ({
      ...o,
      retry: { enabled: false },
      throttle: { enabled: false },
    })),
  });
  const deps = appDeps({
    signer: () => Promise.resolve(signer),
    appId: app.appId,
    stateDir: path.join(dir, "app-state"),
  });
  const middleware = await createNodeMiddleware(livepatchApp(deps), { probot });
  const server: Server = createServer((req, res) => void middleware(req, res));
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const wc = await seedWorkingCopy("reviewers:\n  users: [maintainer]\nrequiredApprovals: 1\n");
  // The stub runner builds the lab target only: the repository holds just that one.
  for (const id of await readdir(path.join(wc, "kernels")))
    if (id !== TARGET) await rm(path.join(wc, "kernels", id), { recursive: true });
  await seed(wc);
  await git(wc, "add", "-A");
  await git(wc, "commit", "-q", "--amend", "--no-edit");
  return {
    forge,
    wc,
    tokens,
    publicKey: key.publicKey,
    kit: (who) =>
      new Octokit({
        auth: tokens[who],
        baseUrl: forge.apiUrl,
        log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
      }),
    async close() {
      server.close();
      await forge.close();
    },
  };
}
