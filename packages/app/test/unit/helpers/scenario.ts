/**
 * A Probot running the app against the in-memory GitHub: a repository with
 * this project's real kernels/ and patches/ files on `main`, a configuration
 * naming reviewers, and helpers to open PRs, review them, and finish runs.
 */
import { expectWebhookConformant } from "@livepatch-gitops/test-support/forge-conformance";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Probot, ProbotOctokit } from "probot";
import { livepatchApp } from "../../../src/index.js";
import { appDeps } from "../../../src/deps.js";
import { appOctokit } from "../../../src/octokit.js";
import { WriteLimiter } from "../../../src/write-limiter.js";
import { generateSigningKey } from "@livepatch-gitops/lpctl/core/sign/generate-signing-key";
import { createOpenpgpSigner } from "@livepatch-gitops/lpctl/core/sign/openpgp-signer";
import type { Signer } from "@livepatch-gitops/lpctl/core/sign/signer";
import { systemClock } from "@livepatch-gitops/lpctl/io/clock";
import { API, fakeGitHub } from "./fake-github.js";
import { APP_ID, type FakeState, type Pull } from "./fake-state.js";
import { pullRequestEvent } from "./payloads.js";

const ROOT = join(import.meta.dirname, "../../../../..");

/**
 * Every file under patches/ of this repository and its lab target under
 * kernels/: the scenarios' runs build the lab target only, and the app
 * rightly refuses to publish a change whose other targets have no artifact.
 */
function realFiles(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const top of ["kernels", "patches"])
    for (const id of readdirSync(join(ROOT, top)))
      if (top === "patches" || id === "debian-6.1-lab")
        for (const f of readdirSync(join(ROOT, top, id)))
          out[`${top}/${id}/${f}`] = readFileSync(join(ROOT, top, id, f), "utf8");
  return out;
}

export const CONFIG =
  "reviewers:\n  users: [bob, alice]\n  teams: [acme/kernel]\nrequiredApprovals: 1\n";

export interface Scenario {
  s: FakeState;
  probot: Probot;
  signer: Signer;
  publicKey: string;
  /** The app's clock; tests move it. */
  clock: { now: Date };
  /** The app's signing key and the keys it signed with before (tests rotate them). */
  keys: { signer: Signer; previous: string[] };
  /** The app's own state directory (LPCTL_APP_STATE_DIR). */
  stateDir: string;
  main: () => string;
  receive: (name: string, payload: object, id?: string) => Promise<void>;
  openPr: (changes: Record<string, string | null>, author?: string) => Promise<Pull>;
  push: (pull: Pull, changes: Record<string, string | null>, author?: string) => Pull;
}

let deliveries = 0;

export interface ScenarioOptions {
  /** The signed key-list directory the app publishes (LPCTL_KEY_LISTS). */
  keyLists?: string;
  /** Run with the app's own Octokit class (its request deadline) at this timeout. */
  timeoutMs?: number;
  /** Stands between the app and the fake GitHub (a request that never gets an answer, say). */
  wrapFetch?: (f: typeof fetch) => typeof fetch;
}

export async function scenario(now = new Date(), opts: ScenarioOptions = {}): Promise<Scenario> {
  const gh = fakeGitHub();
  const fetch = opts.wrapFetch ? opts.wrapFetch(gh.fetch) : gh.fetch;
  const base =
    opts.timeoutMs === undefined ? ProbotOctokit : appOctokit(new WriteLimiter(), opts.timeoutMs);
  const s = gh.state;
  s.branches.set(
    "main",
    s.commit(undefined, { ...realFiles(), ".github/livepatch.yml": CONFIG, "README.md": "x\n" }),
  );
  s.teams.set("acme/kernel", new Set(["carol"]));
  const key = await generateSigningKey({ name: "test publisher" });
  const signer = await createOpenpgpSigner(key.privateKey);
  const probot = new Probot({
    githubToken: "test",
    baseUrl: API,
    logLevel: "fatal",
    request: { fetch },
    // The function form runs after Probot's own options, so throttling (writes a second apart) is really off.
    Octokit: base.defaults((o: object) => ({
      ...o,
      retry: { enabled: false },
      throttle: { enabled: false },
      request: { fetch },
    })),
  });
  const clock = { now };
  const keys = { signer, previous: [] as string[] };
  const stateDir = mkdtempSync(join(tmpdir(), "lpctl-app-state-"));
  const deps = appDeps({
    signer: () => Promise.resolve(keys.signer),
    previousKeys: () => Promise.resolve(keys.previous),
    appId: APP_ID,
    clock: { ...systemClock, now: () => clock.now },
    stateDir,
    ...(opts.keyLists ? { keyLists: opts.keyLists } : {}),
  });
  await probot.load(livepatchApp(deps));
  // Every payload is held to GitHub's webhook description before the app sees it.
  // The app answers before its work is done; a test looks once the work is.
  const receive = async (name: string, payload: object, id = `delivery-${++deliveries}`) => {
    expectWebhookConformant(name, (payload as { action?: string }).action, payload);
    await probot.receive({ id, name, payload } as unknown as Parameters<Probot["receive"]>[0]);
    await deps.work.idle();
  };
  const main = () => s.branches.get("main") as string;
  let nextPr = 1;
  const openPr = async (changes: Record<string, string | null>, author = "alice") => {
    const head = s.commit(main(), changes, author);
    const pull: Pull = {
      number: nextPr++,
      user: author,
      headRef: `pr-${nextPr}`,
      headSha: head,
      baseRef: "main",
      baseSha: main(),
      state: "open",
      mergedAt: null,
      mergeSha: null,
    };
    s.pulls.push(pull);
    await receive("pull_request", pullRequestEvent("opened", pull));
    return pull;
  };
  const push = (pull: Pull, changes: Record<string, string | null>, author = pull.user) => {
    pull.headSha = s.commit(pull.headSha, changes, author);
    return pull;
  };
  return {
    s,
    probot,
    signer,
    publicKey: key.publicKey,
    clock,
    keys,
    stateDir,
    main,
    receive,
    openPr,
    push,
  };
}
