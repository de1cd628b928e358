/**
 * The app in this process against the in-process forge, wired as on
 * github.com: the forge delivers signed webhooks over loopback to a Probot
 * that verifies them and runs the app's handlers, whose API calls go back to
 * the forge (every answer and payload held to GitHub's descriptions). A
 * repository acme/lp with `main` and `staging`, reviewers bob and carol,
 * team acme/kernel (empty at first), and collaborators alice, bob, carol
 * and dave with push access.
 */
import { Octokit } from "@octokit/rest";
import { createHmac } from "node:crypto";
import { copyFile, mkdir, readdir, readFile, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Probot, ProbotOctokit } from "probot";
import { parse as parseYaml } from "yaml";
import { appDeps, type AppDeps } from "../../../src/deps.js";
import { livepatchApp } from "../../../src/index.js";
import { appOctokit } from "../../../src/octokit.js";
import { WriteLimiter } from "../../../src/write-limiter.js";
import type { AppManifest, Forge } from "@livepatch-gitops/forge";
import type { RunRequest, RunResult } from "@livepatch-gitops/forge/runner/contract";
import { workflowTriggers } from "@livepatch-gitops/forge/runner";
import { startTestForge, type TestForge } from "@livepatch-gitops/test-support/test-forge";
import { workCopy, type Identity, type WorkCopy } from "./work-copy.js";

const DEFAULT_REPO = { owner: "acme", repo: "lp" };
export const REPO = DEFAULT_REPO;
export const GATE = "livepatch / safety review";
const ROOT = path.resolve(import.meta.dirname, "../../../../..");
const LAB = "debian-6.1-lab";
const LIVEPATCH_YML =
  "reviewers:\n  users: [bob, carol]\n  teams: [acme/kernel]\nrequiredApprovals: 1\n";
const quiet = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** A one-line patch to fs/proc/version.c that the lab kernel takes (`fixed` is the note to vary). */
export const VERSION_PATCH = `--- a/fs/proc/version.c
+++ b/fs/proc/version.c
@@ -10,7 +10,7 @@ static int version_proc_show(struct seq_file *m, void *v)
 {
 \tseq_printf(m, linux_proc_banner,
 \t\tutsname()->sysname,
-\t\tutsname()->release,
+\t\tutsname()->release /* fixed */,
 \t\tutsname()->version);
 \treturn 0;
 }
`;

export interface AppOnForgeOptions {
  /** The repository (default acme/lp, with a `staging` branch too). */
  repo?: { owner: string; repo: string };
  /** `.github/livepatch.yml` (default: reviewers bob and carol, team acme/kernel). */
  config?: string;
  /** Members of team acme/kernel (default none). */
  kernelTeam?: string[];
  /** Keep only the lab target under kernels/ (runs that build only it can then publish). */
  labOnly?: boolean;
  /** What the app's deps hold besides its app id (a clock, a signer, a state directory...). */
  deps?: Partial<AppDeps>;
  /** Run with the app's own Octokit class (its request deadline) at this timeout. */
  timeoutMs?: number;
  /** build.yml's stand-in: the repository gets this project's build.yml, and its push and pull_request runs go here. */
  runBuild?: (req: RunRequest) => Promise<RunResult>;
  /** Select runs by build.yml's own `on:` (paths, branches, workflow_dispatch) instead of every push and pull_request. */
  realTriggers?: boolean;
}

export interface AppOnForge {
  forge: Forge;
  /** The forge's log of answered requests ("METHOD path"). */
  requests: string[];
  appId: number;
  /** The repository the app watches. */
  repo: { owner: string; repo: string };
  wc: WorkCopy;
  tokens: Record<string, string>;
  /** The identity an account's registered e-mail gives a commit. */
  me(login: string): Identity;
  kit(login: string): Octokit;
  /** The app's own installation client (what only the app may write, e.g. its check runs). */
  appKit(): Promise<Octokit>;
  /** Returns once every delivery the forge queued and the work it caused are done. */
  settle(): Promise<void>;
  /** The app's safety review check run on `sha`. */
  gate(
    sha: string,
  ): Promise<{ id: number; conclusion: string | null; summary: string; text: string }>;
  /** A pull request from `head` into `base`, opened by `who`; waits for the app. */
  openPr(who: string, head: string, base: string): Promise<number>;
  review(who: string, pull: number, event: "APPROVE" | "REQUEST_CHANGES"): Promise<number>;
  /**
   * Posts `payload` to the app's webhook URL as GitHub would (signed with
   * the app's secret) under delivery id `id`; waits for the app.
   */
  deliver(name: string, payload: string, id: string): Promise<number>;
  /** Like `deliver`, but returns with the app's answer (its work queued, not done). */
  post(name: string, payload: string, id: string): Promise<number>;
  /** While down, the app's webhook server answers 503 and the app sees nothing (GitHub does not retry). */
  setDown(down: boolean): void;
  stop(): Promise<void>;
}

export async function appOnForge(opts: AppOnForgeOptions = {}): Promise<AppOnForge> {
  const REPO = opts.repo ?? DEFAULT_REPO;
  const { runBuild } = opts;
  const tf: TestForge = await startTestForge(
    runBuild
      ? {
          runner: {
            workflowTriggers: opts.realTriggers
              ? workflowTriggers
              : (_text, event) => event.name === "push" || event.name === "pull_request",
            runWorkflow: runBuild,
          },
        }
      : {},
  );
  const { forge } = tf;
  // The Probot needs the app's credentials, which need the hook URL first.
  const receiver: { probot?: Probot; down?: boolean } = {};
  const hook = createServer((req, res) => {
    if (receiver.down) {
      res.writeHead(503).end("down");
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const header = (n: string) => String(req.headers[n] ?? "");
      receiver.probot?.webhooks
        .verifyAndReceive({
          id: header("x-github-delivery"),
          name: header("x-github-event"),
          signature: header("x-hub-signature-256"),
          payload: Buffer.concat(chunks).toString("utf8"),
        })
        .then(
          () => res.writeHead(200).end("ok"),
          () => res.writeHead(400).end("refused"),
        );
    });
  });
  await new Promise<void>((r) => hook.listen(0, "127.0.0.1", r));
  const hookUrl = `http://127.0.0.1:${String((hook.address() as AddressInfo).port)}/`;

  const tokens: Record<string, string> = {};
  for (const who of ["maintainer", "alice", "bob", "carol", "dave"])
    tokens[who] = (await forge.createUser(who)).token;
  await forge.createOrg(REPO.owner, "maintainer");
  await forge.createTeam(REPO.owner, "kernel", opts.kernelTeam);
  const repo = await forge.createRepo(REPO.owner, REPO.repo);
  for (const who of ["alice", "bob", "carol", "dave"])
    await forge.addCollaborator(REPO.owner, REPO.repo, who, "push");
  const manifest = parseYaml(await readFile(path.join(ROOT, "app.yml"), "utf8")) as AppManifest;
  const app = await forge.registerApp({
    ...manifest,
    hook_attributes: { url: hookUrl, active: true },
  });
  const installationId = await forge.installApp(app.appId, REPO.owner);

  const deps = appDeps({
    signer: () => Promise.reject(new Error("no release is signed in these tests")),
    ...opts.deps,
    appId: app.appId,
  });
  const base =
    opts.timeoutMs === undefined ? ProbotOctokit : appOctokit(new WriteLimiter(), opts.timeoutMs);
  const probot = new Probot({
    appId: app.appId,
    privateKey: app.privateKeyPem,
    secret: app.webhookSecret,
    baseUrl: forge.apiUrl,
    logLevel: "fatal",
    // The function form runs after Probot's own options, so throttling (writes a second apart) is really off.
    Octokit: base.defaults((o: object) => ({
      ...o,
      retry: { enabled: false },
      throttle: { enabled: false },
    })),
  });
  await probot.load(livepatchApp(deps));
  receiver.probot = probot;

  const kit = (login: string) =>
    new Octokit({ auth: tokens[login], baseUrl: forge.apiUrl, log: quiet });
  const settle = async () => {
    // A user's action → its webhook → the app's work → the app's writes → their webhooks.
    for (let i = 0; i < 3; i++) {
      await forge.waitIdle();
      await deps.work.idle();
    }
  };
  const post = async (name: string, payload: string, id: string): Promise<number> => {
    const res = await fetch(hookUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": name,
        "x-github-delivery": id,
        "x-hub-signature-256": `sha256=${createHmac("sha256", app.webhookSecret).update(payload).digest("hex")}`,
      },
      body: payload,
    });
    return res.status;
  };
  const me = (login: string): Identity => ({ name: login, email: `${login}@forge.local` });

  const wc = await workCopy(repo.cloneUrl, opts.config ?? LIVEPATCH_YML);
  if (runBuild) {
    await mkdir(path.join(wc.dir, ".github/workflows"), { recursive: true });
    await copyFile(
      path.join(ROOT, ".github/workflows/build.yml"),
      path.join(wc.dir, ".github/workflows/build.yml"),
    );
  }
  if (opts.labOnly)
    for (const id of await readdir(path.join(wc.dir, "kernels")))
      if (id !== LAB) await rm(path.join(wc.dir, "kernels", id), { recursive: true });
  await wc.commit({}, me("maintainer"));
  await wc.push("main", tokens.maintainer ?? "");
  if (!opts.repo) await wc.push("staging", tokens.maintainer ?? "");
  await settle();

  return {
    forge,
    requests: tf.requests,
    appId: app.appId,
    repo: REPO,
    wc,
    tokens,
    me,
    kit,
    settle,
    async gate(sha) {
      const { data } = await kit("maintainer").rest.checks.listForRef({
        ...REPO,
        ref: sha,
        check_name: GATE,
      });
      const run = data.check_runs.find((r) => r.app?.id === app.appId);
      if (!run) throw new Error(`no ${GATE} check run on ${sha}`);
      return {
        id: run.id,
        conclusion: run.conclusion,
        summary: run.output.summary ?? "",
        text: run.output.text ?? "",
      };
    },
    async openPr(who, head, base) {
      const { data } = await kit(who).rest.pulls.create({
        ...REPO,
        head,
        base,
        title: `${head} into ${base}`,
      });
      await settle();
      return data.number;
    },
    async review(who, pull, event) {
      const { data } = await kit(who).rest.pulls.createReview({
        ...REPO,
        pull_number: pull,
        event,
        ...(event === "APPROVE" ? {} : { body: "not yet" }),
      });
      await settle();
      return data.id;
    },
    appKit: async () => (await probot.auth(installationId)) as unknown as Octokit,
    async deliver(name, payload, id) {
      const status = await post(name, payload, id);
      await settle();
      return status;
    },
    post,
    setDown(down) {
      receiver.down = down;
    },
    async stop() {
      await settle();
      await new Promise<void>((r) => hook.close(() => r()));
      await tf.stop();
    },
  };
}
