/**
 * The signer's attack tests on the forge: the patches app with a real
 * signing key, its own state directory and a clock the test moves; build.yml
 * selected by its own `on:` (a docs-only push starts no run; or by every
 * push and pull_request, `everyPush`) and stood in
 * for by a stub that uploads a build artifact per target in `artifacts`,
 * then runs `during` (what someone does while the run is going).
 */
import { mkdtemp, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { BuildReport } from "@livepatch-gitops/lpctl/core/build-report";
import type { Manifest } from "@livepatch-gitops/lpctl/core/manifest";
import { generateSigningKey } from "@livepatch-gitops/lpctl/core/sign/generate-signing-key";
import { createOpenpgpSigner } from "@livepatch-gitops/lpctl/core/sign/openpgp-signer";
import type { Signer } from "@livepatch-gitops/lpctl/core/sign/signer";
import { verifyManifest } from "@livepatch-gitops/lpctl/core/verify/index";
import type { RunRequest } from "@livepatch-gitops/forge/runner/contract";
import { systemClock } from "@livepatch-gitops/lpctl/io/clock";
import { patchesApp, TARGET, type PatchesApp } from "./patches-app.js";
import { labBuildZip, uploadZip } from "./publishing-app.js";

export { TARGET };
export const LAB2 = "debian-6.1-lab2";
export const BANNER = "patches/cmdline-banner/patch.yaml";
const BUILD_YML = ".github/workflows/build.yml";

export const patchYaml = (title: string) =>
  `title: ${title}\ndescription: d\ncves: [CVE-2026-10001]\nkernels: [debian-6.1-lab]\n`;

export interface PublishScenario extends PatchesApp {
  /** The app's wall clock; tests move it. */
  clock: { now: Date };
  /** The app's state directory (LPCTL_APP_STATE_DIR). */
  stateDir: string;
  publicKey: string;
  /** The app's signing key and the keys it signed with before (tests rotate them). */
  keys: { signer: Signer; previous: string[] };
  /** The targets the next build runs upload an artifact for. */
  artifacts: string[];
  /** What the next build runs' reports claim about their source (commit, ref...). */
  claims: Partial<NonNullable<BuildReport["source"]>>;
  /** Runs once inside the next build run, after its uploads. */
  during?: (req: RunRequest) => Promise<void>;
  /** The maintainer commits `changes` on main and pushes; waits for the app; returns the sha. */
  merge(changes: Record<string, string>): Promise<string>;
  /** The publish check on `sha`. */
  publishCheck(sha: string): Promise<{ conclusion: string | null; title: string; summary: string }>;
  /** Every release's tag, oldest first. */
  tags(): Promise<string[]>;
  latestTag(): Promise<string>;
  /** Release `tag`'s files and its manifest, verified with the app's key. */
  releaseManifest(
    tag: string,
    keys?: string[],
  ): Promise<{ manifest: Manifest; files: Map<string, Buffer> }>;
  /** Release `tag`'s files, unverified. */
  releaseFiles(tag: string): Promise<Map<string, Buffer>>;
  /** A second target beside the lab one (same kernel files), as a change. */
  addLab2(): Promise<Record<string, string>>;
}

export interface PublishScenarioOptions {
  /** The signed key-list directory the app publishes (LPCTL_KEY_LISTS). */
  keyLists?: string;
  /** Run build.yml on every push and pull_request, whatever its `on:` filters say (default: they decide). */
  everyPush?: boolean;
}

export async function publishScenario(opts: PublishScenarioOptions = {}): Promise<PublishScenario> {
  const key = await generateSigningKey({ name: "forge publisher" });
  const keys = { signer: await createOpenpgpSigner(key.privateKey), previous: [] as string[] };
  const clock = { now: new Date() };
  const stateDir = await mkdtemp(path.join(os.tmpdir(), "lpctl-app-state-"));
  const holder: { sc?: PublishScenario } = {};
  const t = await patchesApp({
    realTriggers: opts.everyPush !== true,
    deps: {
      signer: () => Promise.resolve(keys.signer),
      previousKeys: () => Promise.resolve(keys.previous),
      ...(opts.keyLists ? { keyLists: opts.keyLists } : {}),
      clock: { ...systemClock, now: () => clock.now },
      stateDir,
    },
    runBuild: async (req) => {
      const sc = holder.sc;
      if (req.workflowPath !== BUILD_YML || !sc) return { conclusion: "success", jobs: [] };
      for (const target of sc.artifacts)
        await uploadZip(req, `build-${target}`, await labBuildZip(req, sc.claims, target));
      const during = sc.during;
      sc.during = undefined;
      if (during) await during(req);
      return { conclusion: "success", jobs: [] };
    },
  });
  const kit = () => t.kit("maintainer");
  const releases = async () =>
    (await kit().rest.repos.listReleases({ ...t.repo, per_page: 100 })).data.reverse();
  const asset = async (id: number) => {
    const { data } = await kit().request("GET /repos/{owner}/{repo}/releases/assets/{asset_id}", {
      ...t.repo,
      asset_id: id,
      headers: { accept: "application/octet-stream" },
    });
    return Buffer.from(data as unknown as ArrayBuffer);
  };
  const releaseFiles = async (tag: string) => {
    const { data } = await kit().rest.repos.getReleaseByTag({ ...t.repo, tag });
    const files = new Map<string, Buffer>();
    for (const a of data.assets) files.set(a.name, await asset(a.id));
    return files;
  };
  const sc: PublishScenario = {
    ...t,
    clock,
    stateDir,
    publicKey: key.publicKey,
    keys,
    artifacts: [TARGET],
    claims: {},
    async merge(changes) {
      await t.wc.git("checkout", "-q", "main");
      const sha = await t.wc.commit(changes, t.me("maintainer"));
      await t.wc.push("main", t.tokens.maintainer ?? "");
      await t.settle();
      return sha;
    },
    async publishCheck(sha) {
      const c = await t.check(sha, "livepatch / publish");
      if (c?.status !== "completed") throw new Error(`no completed publish check on ${sha}`);
      return { conclusion: c.conclusion, title: c.title, summary: c.summary };
    },
    tags: async () => (await releases()).map((r) => r.tag_name),
    latestTag: async () => (await kit().rest.repos.getLatestRelease(t.repo)).data.tag_name,
    releaseFiles,
    async releaseManifest(tag, pinned = [key.publicKey]) {
      const files = await releaseFiles(tag);
      const { manifest } = await verifyManifest({
        manifest: files.get("manifest.json") ?? new Uint8Array(),
        signature: files.get("manifest.json.asc") ?? new Uint8Array(),
        keys: pinned,
        now: clock.now,
      });
      return { manifest, files };
    },
    async addLab2() {
      const text = (f: string) => readFile(path.join(t.wc.dir, "kernels", TARGET, f), "utf8");
      return {
        [`kernels/${LAB2}/target.yaml`]: await text("target.yaml"),
        [`kernels/${LAB2}/config.fragment`]: await text("config.fragment"),
      };
    },
  };
  holder.sc = sc;
  return sc;
}
