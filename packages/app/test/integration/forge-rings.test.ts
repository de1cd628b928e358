/**
 * Rings through the app on the in-process forge: the app under Probot's
 * webhook middleware, signed webhooks, a stub Actions runner standing in
 * for build.yml (it builds the lab target only when the change asks for
 * it, as build.yml's plan does), and a promotion PR that is checked, gated
 * by the safety review and merged.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Manifest } from "@livepatch-gitops/lpctl/core/manifest";
import { verifyManifest } from "@livepatch-gitops/lpctl/core/verify/index";
import type { RunRequest, RunResult } from "@livepatch-gitops/forge/runner/contract";
import { authedUrl, git, waitFor } from "@livepatch-gitops/test-support/forge-loop";
import {
  completedCheckOn,
  FULL,
  REPO,
  startPublishingApp,
  uploadLabBuild,
  type PublishingApp,
} from "./helpers/publishing-app.js";

const RINGS = ".github/livepatch-rings.yml";

let t: PublishingApp;
let wc = "";
/** build.yml's plan: a change under kernels/ or patches/ builds the target, a promotion nothing. */
let buildNext = true;

const kit = (who: string) => t.kit(who);

async function runBuild(req: RunRequest): Promise<RunResult> {
  if (req.workflowPath === ".github/workflows/build.yml" && buildNext) await uploadLabBuild(req);
  return { conclusion: "success", jobs: [] };
}

const checkOn = (sha: string, name: string) => completedCheckOn(t, sha, name);

const published = (sha: string) =>
  waitFor("the publish check", () => checkOn(sha, "livepatch / publish"), 60_000, 250);

/** A signed manifest of the latest release, verified with the app's key. */
async function latest(name: string): Promise<Manifest> {
  const get = async (n: string) => {
    const res = await fetch(`${t.forge.url}/${FULL}/releases/latest/download/${n}`);
    expect(res.status, n).toBe(200);
    return new Uint8Array(await res.arrayBuffer());
  };
  const verified = await verifyManifest({
    manifest: await get(name),
    signature: await get(`${name}.asc`),
    keys: [t.publicKey],
    now: new Date(),
  });
  return verified.manifest;
}

async function commitTo(branch: string, files: Record<string, string>): Promise<string> {
  await git(wc, "checkout", "-q", "-B", branch, "main");
  for (const [p, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(wc, p)), { recursive: true });
    await writeFile(path.join(wc, p), text);
  }
  await git(wc, "add", "-A");
  await git(wc, "commit", "-q", "-m", `change on ${branch}`);
  await git(wc, "push", "-q", "-f", authedUrl(t.forge, FULL, t.tokens.mallory ?? ""), branch);
  return (await git(wc, "rev-parse", "HEAD")).stdout.trim();
}

/** mallory's promotion PR setting the rings file to `text`; its head. */
async function promotion(branch: string, text: string): Promise<{ pr: number; head: string }> {
  const head = await commitTo(branch, { [RINGS]: text });
  const { data } = await kit("mallory").rest.pulls.create({
    ...REPO,
    head: branch,
    base: "main",
    title: `rings: ${branch}`,
  });
  return { pr: data.number, head };
}

/** The merge of `pr` after the maintainer's approval; the merge commit. */
async function approveAndMerge(pr: number, head: string): Promise<string> {
  await kit("maintainer").rest.pulls.createReview({
    ...REPO,
    pull_number: pr,
    event: "APPROVE",
    commit_id: head,
  });
  await waitFor(
    "the safety review to pass",
    async () =>
      (await checkOn(head, "livepatch / safety review"))?.conclusion === "success"
        ? true
        : undefined,
    60_000,
    250,
  );
  const { data } = await kit("maintainer").rest.pulls.merge({ ...REPO, pull_number: pr });
  expect(data.merged).toBe(true);
  await git(wc, "checkout", "-q", "main");
  await git(wc, "pull", "-q", authedUrl(t.forge, FULL, t.tokens.maintainer ?? ""), "main");
  return data.sha;
}

const runOf = (m: Manifest) => m.kernels[0]?.module?.file;

beforeAll(async () => {
  t = await startPublishingApp(runBuild, (dir) =>
    writeFile(path.join(dir, RINGS), "rings:\n  - name: canary\n"),
  );
  wc = t.wc;
}, 120_000);

afterAll(async () => {
  await t.close();
});

const STABLE_AT = (n: number, extra = "") =>
  `rings:\n  - name: canary\n  - name: stable\n    release: ${String(n)}\n${extra}`;

describe("rings through the app", () => {
  let v1Module: string | undefined;

  it("the first publish fills the first ring", async () => {
    await git(wc, "push", "-q", authedUrl(t.forge, FULL, t.tokens.maintainer ?? ""), "main");
    const sha = (await git(wc, "rev-parse", "HEAD")).stdout.trim();
    expect((await published(sha)).output.title).toBe("published v1");
    const canary = await latest("manifest.canary.json");
    expect(canary).toMatchObject({ version: 1, ring: "canary" });
    v1Module = runOf(canary);
    expect(runOf(await latest("manifest.json"))).toBe(v1Module);
  });

  it("a promotion PR's check refuses an unknown release and an unsoaked one, then passes", async () => {
    const { pr, head } = await promotion("promote-1", STABLE_AT(9));
    const unknown = await waitFor(
      "the rings check",
      () => checkOn(head, "livepatch / rings"),
      60_000,
      250,
    );
    expect(unknown.conclusion).toBe("failure");
    expect(unknown.output.summary).toContain("v9, which is not a release");

    const soaking = await commitTo("promote-1", { [RINGS]: STABLE_AT(1, "    soakHours: 1000\n") });
    const soak = await waitFor(
      "the rings check",
      () => checkOn(soaking, "livepatch / rings"),
      60_000,
      250,
    );
    expect(soak.conclusion).toBe("failure");
    expect(soak.output.title).toMatch(/^soaking until \d{4}-/);
    expect(soak.output.summary).toContain("Re-run this check after");

    const ready = await commitTo("promote-1", { [RINGS]: STABLE_AT(1) });
    const ok = await waitFor(
      "the rings check",
      () => checkOn(ready, "livepatch / rings"),
      60_000,
      250,
    );
    expect(ok.conclusion, JSON.stringify(ok.output)).toBe("success");
    // The same safety review as a patch: not mergeable on the check alone.
    const gate = await waitFor(
      "the safety review",
      () => checkOn(ready, "livepatch / safety review"),
      60_000,
      250,
    );
    expect(gate.conclusion).toBe("failure");

    buildNext = false;
    const merge = await approveAndMerge(pr, ready);
    const v2 = await published(merge);
    expect(v2.output.title, JSON.stringify(v2.output)).toBe("published v2");
    const stable = await latest("manifest.stable.json");
    expect(stable).toMatchObject({ version: 2, ring: "stable" });
    expect(runOf(stable)).toBe(v1Module);
    expect(runOf(await latest("manifest.canary.json"))).toBe(v1Module);
  });

  it("a merge reaches the canary ring and not the stable one", async () => {
    buildNext = true;
    await git(wc, "checkout", "-q", "main");
    await writeFile(path.join(wc, "README.md"), "a patch change\n");
    await git(wc, "commit", "-q", "-am", "patches: a new fix");
    await git(wc, "push", "-q", authedUrl(t.forge, FULL, t.tokens.maintainer ?? ""), "main");
    const sha = (await git(wc, "rev-parse", "HEAD")).stdout.trim();
    expect((await published(sha)).output.title).toBe("published v3");
    const canary = await latest("manifest.canary.json");
    expect(runOf(canary)).not.toBe(v1Module);
    expect(runOf(await latest("manifest.json"))).toBe(runOf(canary));
    const stable = await latest("manifest.stable.json");
    expect(stable.version).toBe(3);
    expect(runOf(stable)).toBe(v1Module);
  });

  it("merging the promotion to v3 gives the stable ring v3's module", async () => {
    const v3Module = runOf(await latest("manifest.canary.json"));
    buildNext = false;
    const { pr, head } = await promotion("promote-3", STABLE_AT(3));
    const ok = await waitFor(
      "the rings check",
      () => checkOn(head, "livepatch / rings"),
      60_000,
      250,
    );
    expect(ok.conclusion, JSON.stringify(ok.output)).toBe("success");
    const merge = await approveAndMerge(pr, head);
    expect((await published(merge)).output.title).toBe("published v4");
    const stable = await latest("manifest.stable.json");
    expect(stable).toMatchObject({ version: 4, ring: "stable" });
    expect(runOf(stable)).toBe(v3Module);
    const buildId = stable.kernels[0]?.buildId ?? "";
    expect(runOf(await latest(`kernel-${buildId}.stable.json`))).toBe(v3Module);
  });
});
