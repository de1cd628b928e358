/**
 * The app's handler tests' setting on the forge: repository acme/patches
 * holding this project's patches/ and its lab target, a configuration naming
 * reviewers bob and alice and team acme/kernel (carol), and helpers to open
 * pull requests and read back what the app wrote, through GitHub's API.
 */
import type { RunRequest, RunResult } from "@livepatch-gitops/forge/runner/contract";
import { appOnForge, type AppOnForge, type AppOnForgeOptions } from "./app-on-forge.js";

export const TARGET = "debian-6.1-lab";
export const CONFIG =
  "reviewers:\n  users: [bob, alice]\n  teams: [acme/kernel]\nrequiredApprovals: 1\n";

export interface CheckRun {
  id: number;
  name: string;
  status: string;
  conclusion: string | null;
  title: string;
  summary: string;
  text: string;
}

export interface OpenedPr {
  number: number;
  branch: string;
  head: string;
}

export interface PatchesApp extends AppOnForge {
  /** `who` commits `changes` (null deletes) on a new branch off main and opens a PR into main. */
  openPatchPr(changes: Record<string, string | null>, who?: string): Promise<OpenedPr>;
  /** Commits `changes` on top of the PR's branch and pushes it; waits for the app. */
  push(pr: OpenedPr, changes: Record<string, string | null>, who?: string): Promise<OpenedPr>;
  /** Every check run on `sha`, newest first per name. */
  checks(sha: string): Promise<CheckRun[]>;
  check(sha: string, name: string): Promise<CheckRun | undefined>;
  /** Check `name` on `sha` once completed (a run's report may need more rounds on a busy machine). */
  completedCheck(sha: string, name: string): Promise<CheckRun | undefined>;
  annotations(checkRunId: number): Promise<Record<string, unknown>[]>;
  comments(pull: number): Promise<{ id: number; body: string; user: string }[]>;
  /** The maintainer commits `changes` on main and pushes; returns the undo (a commit putting them back). */
  onMain(changes: Record<string, string>): Promise<() => Promise<void>>;
  /** Delivers the forge's last `event` delivery again as action `action` under a new id. */
  redeliverAs(event: string, action: string): Promise<void>;
}

/** build.yml's stand-in whose pull_request runs do what `current()` says at the time (push runs build nothing). */
export function prRuns(
  current: () => (req: RunRequest) => Promise<RunResult["conclusion"]>,
): (req: RunRequest) => Promise<RunResult> {
  return async (req) => ({
    conclusion: req.event.name === "pull_request" ? await current()(req) : "success",
    jobs: [],
  });
}

let branches = 0;
let redeliveries = 0;

export async function patchesApp(opts: AppOnForgeOptions = {}): Promise<PatchesApp> {
  const t = await appOnForge({
    repo: { owner: "acme", repo: "patches" },
    config: CONFIG,
    kernelTeam: ["carol"],
    labOnly: true,
    ...opts,
  });
  const { wc } = t;
  const repo = t.repo;
  const commit = async (changes: Record<string, string | null>, who: string) => {
    for (const [file, text] of Object.entries(changes))
      if (text === null) await wc.git("rm", "-q", file);
    const written = Object.fromEntries(
      Object.entries(changes).filter((e): e is [string, string] => e[1] !== null),
    );
    return wc.commit(written, t.me(who));
  };
  const kit = () => t.kit("maintainer");
  const checks = async (sha: string): Promise<CheckRun[]> => {
    const { data } = await kit().rest.checks.listForRef({ ...repo, ref: sha, per_page: 100 });
    return data.check_runs.map((r) => ({
      id: r.id,
      name: r.name,
      status: r.status,
      conclusion: r.conclusion,
      title: r.output.title ?? "",
      summary: r.output.summary ?? "",
      text: r.output.text ?? "",
    }));
  };
  return {
    ...t,
    async openPatchPr(changes, who = "alice") {
      const branch = `pr-${String(++branches)}`;
      await wc.git("checkout", "-q", "-B", branch, "main");
      const head = await commit(changes, who);
      await wc.push(branch, t.tokens[who] ?? "");
      const number = await t.openPr(who, branch, "main");
      return { number, branch, head };
    },
    async push(pr, changes, who = "alice") {
      await wc.git("checkout", "-q", pr.branch);
      const head = await commit(changes, who);
      await wc.push(pr.branch, t.tokens[who] ?? "");
      await t.settle();
      return { ...pr, head };
    },
    checks,
    async check(sha, name) {
      return (await checks(sha)).find((c) => c.name === name);
    },
    async completedCheck(sha, name) {
      const find = async () => (await checks(sha)).find((c) => c.name === name);
      for (let round = 0; round < 10; round++) {
        const check = await find();
        if (check?.status === "completed") return check;
        await t.settle();
      }
      return find();
    },
    async annotations(id) {
      const { data } = await kit().rest.checks.listAnnotations({ ...repo, check_run_id: id });
      return data;
    },
    async onMain(changes) {
      await wc.git("checkout", "-q", "main");
      const before: Record<string, string> = {};
      for (const file of Object.keys(changes)) before[file] = await wc.git("show", `HEAD:${file}`);
      await wc.commit(changes, t.me("maintainer"));
      await wc.push("main", t.tokens.maintainer ?? "");
      await t.settle();
      return async () => {
        await wc.git("checkout", "-q", "main");
        await wc.commit(before, t.me("maintainer"));
        await wc.push("main", t.tokens.maintainer ?? "");
        await t.settle();
      };
    },
    async redeliverAs(event, action) {
      const last = (await t.forge.deliveries()).filter((d) => d.event === event).at(-1);
      if (!last) throw new Error(`the forge delivered no ${event}`);
      const payload = { ...(last.payload as object), action };
      await t.deliver(event, JSON.stringify(payload), `again-${String(++redeliveries)}`);
    },
    async comments(pull) {
      const { data } = await kit().rest.issues.listComments({ ...repo, issue_number: pull });
      return data.map((c) => ({ id: c.id, body: c.body ?? "", user: c.user?.login ?? "" }));
    },
  };
}
