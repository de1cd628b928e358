/**
 * `npm run demo`: the whole pull-request loop on one machine. Every part is
 * the real one: the forge and the app as processes, the real build.yml on
 * the forge's runner (kpatch-build on the lab kernel, the VM test), the
 * app's checks, review gate and signed releases, and a host VM that syncs
 * over HTTP. Each step checks what it shows; the first failed check ends
 * the demo with exit 1.
 */
import { execa } from "execa";
import { createWriteStream, existsSync } from "node:fs";
import { cp, mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { LpctlError } from "../core/errors.js";
import { NO_SIGNAL_EXIT, waitFor, type Processes } from "./processes.js";
import { completedCheck, runProgress, wholeLatestRelease } from "./forge-watch.js";
import { agentBundlePath, bootHost, GUEST_FORGE, type HostSync } from "./host.js";
import {
  createAccounts,
  FULL,
  GATE,
  git,
  octokit,
  OWNER,
  PEOPLE,
  protectMain,
  pushUrl,
  REPO,
  seedWorkingCopy,
  type Tokens,
} from "./repository.js";
import { startAppProcess, startForgeProcess, type DemoPaths, type ForgeInfo } from "./services.js";
import type { StepHandle, Timeline } from "./timeline.js";

export const TARGET = "debian-6.1-lab";
const R = { owner: OWNER, repo: REPO };
/** A cold kernel build happens before the forge starts; a workflow run with a warm cache takes minutes. */
const RUN_WAIT = 30 * 60_000;
const BRANCH = "loadavg-banner";

export interface DemoOutcome {
  forge?: ForgeInfo;
  tokens?: Tokens;
  pushToReleaseSeconds?: number;
  releaseToHostPatchedSeconds?: number;
  mergeToReleaseSeconds?: number;
  v2ToHostPatchedSeconds?: number;
  cached: boolean;
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new LpctlError("DEMO_FAILED", what);
}

const lpctl = (p: DemoPaths, args: string[]) =>
  execa(process.execPath, [join(p.root, "dist/cli/main.js"), ...args], {
    ...NO_SIGNAL_EXIT,
    env: { LPCTL_CACHE_DIR: p.kernelCache, PATH: `${p.toolsBin}:${process.env.PATH ?? ""}` },
    reject: false,
    all: true,
  });

export async function runScenario(
  t: Timeline,
  p: DemoPaths,
  procs: Processes,
  outcome: DemoOutcome,
): Promise<void> {
  const bzImage = await t.step(`kernel ${TARGET} prepared`, async (h) => {
    const run = lpctl(p, ["kernel", "prepare", "--target", TARGET, "--json"]);
    run.stderr?.on("data", (b: Buffer) => {
      const last = b.toString("utf8").trim().split("\n").pop();
      if (last) h.detail(last.replace(/^\[\s*[\d.]+s\]\s*/, ""));
    });
    const res = await run;
    check(res.exitCode === 0, `lpctl kernel prepare failed:\n${String(res.all).slice(-2000)}`);
    const prepared = JSON.parse(String(res.stdout)) as {
      cached: boolean;
      dir: string;
      buildId: string;
    };
    // A cached run: the kernel prepared and an earlier run's runner caches (lpctl's build, modules) present.
    outcome.cached = prepared.cached && existsSync(join(p.keep, "tool-cache"));
    h.note(
      `${prepared.cached ? "from the cache" : "built"}: ${prepared.dir} (build-id ${prepared.buildId})`,
    );
    return join(prepared.dir, "pristine", "bzImage");
  });

  const keys = join(p.keep, "keys");
  await t.step("release signing key", async (h) => {
    const existing = await readFile(join(keys, "signing-key.asc")).catch(() => undefined);
    if (existing === undefined) {
      const res = await lpctl(p, ["keygen", "--name", "livepatch-gitops demo", "--out", keys]);
      check(res.exitCode === 0, `lpctl keygen failed: ${String(res.all)}`);
    }
    h.note(
      `${existing ? "kept from an earlier run" : "generated"}: ${keys} (a demo key; real releases use your own)`,
    );
  });

  const forge = await t.step("forge and app running (separate processes)", async (h) => {
    const f = await startForgeProcess(procs, p);
    h.note(`forge ${f.url} (REST ${f.apiUrl}); runner: this machine`);
    const appLog = await startAppProcess(procs, p, f, join(keys, "signing-key.asc"));
    h.note(
      `app "${f.creds.slug}" (id ${String(f.creds.appId)}) on 127.0.0.1:${String(f.appPort)}; log ${appLog}`,
    );
    return f;
  });
  outcome.forge = forge;

  const wc = join(p.run, "work");
  const tokens = await t.step(`${FULL}: alice pushes kernels/ and patches/ to main`, async (h) => {
    const tk = await createAccounts(forge);
    h.note(`people: alice (maintainer), bob (patch author), carol (${OWNER}/kernel-reviewers)`);
    await mkdir(wc, { recursive: true });
    const sha = await seedWorkingCopy(p.root, wc);
    await git(wc, PEOPLE.maintainer, "push", "-q", pushUrl(forge, tk.maintainer), "main");
    await protectMain(forge, tk);
    h.note(`main at ${sha.slice(0, 7)}; protected: "${GATE}" from the app is required`);
    return tk;
  });
  outcome.tokens = tokens;
  const alice = octokit(forge, tokens.maintainer);
  const mainSha = (await git(wc, PEOPLE.maintainer, "rev-parse", "HEAD")).stdout.trim();

  const pushedAt = Date.now();
  const v1 = await t.step("push run on main builds every target → app publishes v1", async (h) => {
    const rel = await waitFor(
      "release v1",
      async () => {
        procs.check();
        h.detail(await runProgress(alice, mainSha));
        return wholeLatestRelease(alice, "v1");
      },
      RUN_WAIT,
      2000,
    );
    h.note(`${rel.html_url}: ${rel.assets.map((a) => a.name).join(", ")}`);
    return rel;
  });
  const v1At = Date.now();
  outcome.pushToReleaseSeconds = (v1At - pushedAt) / 1000;

  const source = `http://${GUEST_FORGE}/${FULL}/releases/latest/download/`;
  const consoleLog = createWriteStream(join(p.run, "host-console.log"));
  procs.onStop(() => new Promise((resolve) => consoleLog.end(resolve)));
  const host = await t.step(
    "host: lab kernel booted in qemu; its agent syncs v1 over HTTP",
    async (h) => {
      h.detail("packing node and the agent into the initramfs, booting");
      const booted = await bootHost({
        bzImage,
        agentBundle: agentBundlePath(p.root),
        publicKey: await readFile(join(keys, "signing-key.pub.asc"), "utf8"),
        forgePort: forge.port,
        source,
        repository: FULL,
      });
      procs.onStop(
        () => booted.stop(),
        () => booted.kill(),
      );
      h.detail("lpctl sync");
      const s = await booted.sync("v1");
      showSync(h, s);
      checkSynced(s, "v1", ["CVE-2026-10001", "CVE-2026-10002"]);
      check(
        /\/proc\/cmdline: .*livepatched/.test(s.observed),
        "/proc/cmdline does not show the v1 patch",
      );
      return { booted, first: s };
    },
  );
  outcome.releaseToHostPatchedSeconds = (Date.now() - v1At) / 1000;
  void v1;

  const { pr, head } = await t.step(`bob pushes ${BRANCH} and opens a pull request`, async (h) => {
    await git(wc, PEOPLE.author, "checkout", "-q", "-b", BRANCH);
    await cp(join(p.root, "contrib/demo/loadavg-banner"), join(wc, "patches", BRANCH), {
      recursive: true,
    });
    await git(wc, PEOPLE.author, "add", "-A");
    await git(
      wc,
      PEOPLE.author,
      "commit",
      "-q",
      "-m",
      "patches: mark /proc/loadavg as live-patched (CVE-2026-10003)",
    );
    const sha = (await git(wc, PEOPLE.author, "rev-parse", "HEAD")).stdout.trim();
    await git(wc, PEOPLE.author, "push", "-q", pushUrl(forge, tokens.author), BRANCH);
    const { data } = await octokit(forge, tokens.author).rest.pulls.create({
      ...R,
      head: BRANCH,
      base: "main",
      title: "Mark /proc/loadavg as live-patched",
      body: "Changes loadavg_proc_show() only. CVE-2026-10003 (made up for the demo).",
    });
    h.note(`${data.html_url} at ${sha.slice(0, 7)}`);
    return { pr: data.number, head: sha };
  });

  await t.step(`checks on pull request #${String(pr)}`, async (h) => {
    const names = ["livepatch / lint", "livepatch / policy", `livepatch / build (${TARGET})`];
    for (const name of names) {
      const run = await waitFor(
        name,
        async () => {
          procs.check();
          h.detail(`${name} · ${await runProgress(alice, head).catch(() => "")}`);
          return completedCheck(alice, head, name);
        },
        RUN_WAIT,
        2000,
      );
      h.note(`${name}: ${run.conclusion ?? "?"} — ${run.output.title ?? ""}`);
      check(
        run.conclusion === "success",
        `${name} concluded ${run.conclusion ?? "?"}: ${run.output.summary ?? ""}`,
      );
    }
    const gate = await completedCheck(alice, head, GATE);
    h.note(
      `${GATE}: ${gate?.conclusion ?? "pending"} — ${gate?.output.summary ?? "waiting for a reviewer"}`,
    );
    check(gate?.conclusion !== "success", "the safety review passed before anyone approved");
  });

  await t.step("the gate holds: no merge, no self-approval", async (h) => {
    const merge = await alice.rest.pulls.merge({ ...R, pull_number: pr }).then(
      () => 200,
      (e: { status?: number }) => e.status ?? 0,
    );
    check(merge === 405, `merging before review answered ${String(merge)}, expected 405`);
    h.note(`alice's merge before review: HTTP ${String(merge)} (branch protection)`);
    const self = await octokit(forge, tokens.author)
      .rest.pulls.createReview({ ...R, pull_number: pr, event: "APPROVE", commit_id: head })
      .then(
        () => 200,
        (e: { status?: number }) => e.status ?? 0,
      );
    check(
      self === 422,
      `bob approving his own pull request answered ${String(self)}, expected 422`,
    );
    h.note(`bob approving his own pull request: HTTP ${String(self)}`);
  });

  await t.step(`carol approves ${head.slice(0, 7)} → safety review passes`, async (h) => {
    await octokit(forge, tokens.reviewer).rest.pulls.createReview({
      ...R,
      pull_number: pr,
      event: "APPROVE",
      commit_id: head,
      body: "Reviewed: one function, no data layout change.",
    });
    const gate = await waitFor(
      "the safety review",
      async () => {
        const run = await completedCheck(alice, head, GATE);
        return run?.conclusion === "success" ? run : undefined;
      },
      120_000,
    );
    h.note(`${GATE}: ${gate.output.summary ?? ""}`);
  });

  const mergedAt = Date.now();
  await t.step("alice merges → push run → app publishes v2", async (h) => {
    const { data } = await alice.rest.pulls.merge({ ...R, pull_number: pr, merge_method: "merge" });
    check(data.merged, "the merge did not happen");
    h.note(`merge commit ${data.sha.slice(0, 7)}`);
    const rel = await waitFor(
      "release v2",
      async () => {
        procs.check();
        h.detail(await runProgress(alice, data.sha));
        return wholeLatestRelease(alice, "v2");
      },
      RUN_WAIT,
      2000,
    );
    h.note(`${rel.html_url}: ${rel.assets.length} assets`);
  });
  const v2At = Date.now();
  outcome.mergeToReleaseSeconds = (v2At - mergedAt) / 1000;

  await t.step("host syncs v2: the cumulative module replaces v1, no reboot", async (h) => {
    const s = await host.booted.sync("v2");
    showSync(h, s);
    checkSynced(s, "v2", ["CVE-2026-10001", "CVE-2026-10002", "CVE-2026-10003"]);
    check(
      /\/proc\/loadavg: .*livepatched/.test(s.observed),
      "/proc/loadavg does not show the v2 patch",
    );
    check(s.bootId === host.first.bootId, "the host rebooted (boot id changed)");
    check(
      s.livepatch.trim().split("\n").length === 1,
      `more than one live patch is loaded:\n${s.livepatch}`,
    );
    h.note(`same boot (boot id ${s.bootId.slice(0, 8)}…); v1's module was replaced and unloaded`);
  });
  outcome.v2ToHostPatchedSeconds = (Date.now() - v2At) / 1000;
}

function showSync(h: StepHandle, s: HostSync): void {
  for (const l of s.sync.trim().split("\n")) h.note(`host$ lpctl sync   ${l}`);
  for (const l of s.status.trim().split("\n")) h.note(`host$ lpctl status ${l}`);
  for (const l of s.observed.trim().split("\n")) h.note(`host$ cat ${l}`);
}

function checkSynced(s: HostSync, version: string, cves: string[]): void {
  check(s.exitCode === 0, `lpctl sync in the VM exited ${String(s.exitCode)}:\n${s.sync}`);
  const st = s.statusJson as { patchState?: string; cves?: string[] };
  check(
    st.patchState === "applied",
    `${version}: status says ${st.patchState ?? "?"}:\n${s.status}`,
  );
  check(
    JSON.stringify(st.cves ?? []) === JSON.stringify(cves),
    `${version}: status lists CVEs ${JSON.stringify(st.cves)}, expected ${JSON.stringify(cves)}`,
  );
}
