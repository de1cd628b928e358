/**
 * `npm run demo`: the whole pull-request loop on one machine. Every part is
 * the real one: the forge and the app as processes, the real build.yml on
 * the forge's runner (per-object builds for Debian's cloud kernel, the VM
 * test), the app's checks, review gate and signed releases, and a host VM
 * running Debian's own signed cloud kernel that syncs over HTTP. No kernel
 * is compiled: preparing the target downloads Debian's packages and
 * configures the source once. Each step checks what it shows; the first
 * failed check ends the demo with exit 1.
 */
import { execa } from "execa";
import { createWriteStream, existsSync } from "node:fs";
import { mkdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { loadBuildInputs } from "@livepatch-gitops/lpctl/builder/build/build-inputs";
import { distroConfigFacts } from "@livepatch-gitops/lpctl/builder/distro/kernel-config-checks";
import { vmlinuzIdentity } from "@livepatch-gitops/lpctl/builder/distro/vmlinuz";
import {
  imageModules,
  NETWORK_MODULES,
} from "@livepatch-gitops/lpctl/builder/distro/image-modules";
import { execaRunner } from "@livepatch-gitops/lpctl/builder/runtime/runner";
import { check, checkHostKernel, checkSynced, showSync } from "./checks.js";
import { runProgress, wholeLatestRelease } from "./forge-watch.js";
import { checkOpenVex, fleetRollout, livePatch, openVexFile } from "./fleet.js";
import { agentBundlePath, bootHost, GUEST_FORGE, type Host } from "./host.js";
import { NO_SIGNAL_EXIT, waitFor, type Processes } from "./processes.js";
import { pullRequestToRelease, RUN_WAIT, TARGET } from "./pull-request.js";
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
  seedWorkingCopy,
  type Tokens,
} from "./repository.js";
import { startAppProcess, startForgeProcess, type DemoPaths, type ForgeInfo } from "./services.js";
import type { StepHandle, Timeline } from "./timeline.js";

export { TARGET };

export interface DemoOutcome {
  forge?: ForgeInfo;
  tokens?: Tokens;
  pushToReleaseSeconds?: number;
  releaseToHostPatchedSeconds?: number;
  mergeToReleaseSeconds?: number;
  v2ToHostPatchedSeconds?: number;
  cached: boolean;
}

const lpctl = (p: DemoPaths, args: string[]) =>
  execa(process.execPath, [join(p.root, "packages/lpctl/dist/cli/main.js"), ...args], {
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
  const kernel = await t.step(`kernel ${TARGET} prepared (no kernel compiled)`, async (h) => {
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
    outcome.cached = prepared.cached && existsSync(p.toolCache);
    h.note(
      `${prepared.cached ? "from the cache" : "Debian's packages fetched, source configured"}: ${prepared.dir} (build-id ${prepared.buildId})`,
    );
    // What the host must run: the build-id and banner inside Debian's vmlinuz itself.
    const pristine = join(prepared.dir, "pristine");
    const bzImage = join(pristine, "bzImage");
    const config = distroConfigFacts(await readFile(join(pristine, ".config"), "utf8"), TARGET);
    const image = await vmlinuzIdentity(execaRunner, bzImage, config.compression, p.run);
    check(
      image.buildId === prepared.buildId,
      `${bzImage} has build-id ${image.buildId}, the prepared target ${prepared.buildId}`,
    );
    return {
      bzImage,
      buildId: prepared.buildId,
      banner: image.banner,
      target: (await loadBuildInputs(p.root, TARGET)).target,
    };
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
  const tokens = await t.step(
    `${FULL}: alice pushes kernels/${TARGET} and patches/ to main`,
    async (h) => {
      const tk = await createAccounts(forge);
      h.note(`people: alice (maintainer), bob (patch author), carol (${OWNER}/kernel-reviewers)`);
      await mkdir(wc, { recursive: true });
      const sha = await seedWorkingCopy(p.root, wc, TARGET);
      await git(wc, PEOPLE.maintainer, "push", "-q", pushUrl(forge, tk.maintainer), "main");
      await protectMain(forge, tk);
      h.note(`main at ${sha.slice(0, 7)}; protected: "${GATE}" from the app is required`);
      return tk;
    },
  );
  outcome.tokens = tokens;
  const alice = octokit(forge, tokens.maintainer);
  const mainSha = (await git(wc, PEOPLE.maintainer, "rev-parse", "HEAD")).stdout.trim();

  const pushedAt = Date.now();
  await t.step("push run on main builds every target → app publishes v1", async (h) => {
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
  const bootDemoHost = async (h: StepHandle, ring: string): Promise<Host> => {
    h.detail(
      `${NETWORK_MODULES.join(", ")} and their dependencies from ${kernel.target.image?.debian.package ?? "?"}`,
    );
    const modulesDir = join(p.run, `image-modules-${ring}`);
    const modules = await imageModules(
      { runner: execaRunner, cacheDir: p.kernelCache, dir: modulesDir },
      kernel.target,
      NETWORK_MODULES,
    );
    h.note(`initramfs modules (Debian's, in load order): ${modules.map((m) => m.name).join(" ")}`);
    h.detail(
      "packing node, the agent and the modules into the initramfs, booting Debian's vmlinuz",
    );
    const consoleLog = createWriteStream(join(p.run, `host-${ring}-console.log`));
    procs.onStop(() => new Promise((resolve) => consoleLog.end(resolve)));
    const booted = await bootHost({
      bzImage: kernel.bzImage,
      modules,
      agentBundle: agentBundlePath(p.root),
      publicKey: await readFile(join(keys, "signing-key.pub.asc"), "utf8"),
      forgePort: forge.port,
      source,
      repository: FULL,
      ring,
      onConsole: (line) => consoleLog.write(`${line}\n`),
    });
    procs.onStop(
      () => booted.stop(),
      () => booted.kill(),
    );
    await rm(modulesDir, { recursive: true, force: true });
    h.note(`${ring} host$ uname -r          ${booted.kernel.release}`);
    h.note(`${ring} host$ cat /proc/version ${booted.kernel.version}`);
    checkHostKernel(booted.kernel, { release: kernel.target.release, banner: kernel.banner });
    return booted;
  };

  const host = await t.step(
    "canary host: Debian's cloud kernel booted in qemu; its agent syncs v1 over HTTP",
    async (h) => {
      const booted = await bootDemoHost(h, "canary");
      h.detail("lpctl sync");
      const s = await booted.sync("v1");
      showSync(h, s);
      const id = (s.statusJson as { kernel?: { buildId?: string } }).kernel?.buildId;
      check(
        id === kernel.buildId,
        `the host's build-id (/sys/kernel/notes) is ${id ?? "?"}, not Debian's ${kernel.buildId}`,
      );
      h.note(`host's build-id ${id} = ${TARGET}'s buildId (Debian's vmlinux)`);
      checkSynced(s, "v1", ["CVE-2026-10001", "CVE-2026-10002"]);
      check(
        /\/proc\/cmdline: .*livepatched/.test(s.observed),
        "/proc/cmdline does not show the v1 patch",
      );
      return { booted, first: s };
    },
  );
  outcome.releaseToHostPatchedSeconds = (Date.now() - v1At) / 1000;
  const v1Module = livePatch(host.first);

  const stable = await t.step(
    "stable host: a second VM in ring stable syncs v1 (its ring names release 1)",
    async (h) => {
      const booted = await bootDemoHost(h, "stable");
      const s = await booted.sync("v1");
      showSync(h, s);
      checkSynced(s, "v1", ["CVE-2026-10001", "CVE-2026-10002"]);
      check(livePatch(s) === v1Module, `the stable host runs ${livePatch(s)}, not ${v1Module}`);
      return booted;
    },
  );

  const loop = { t, p, procs, forge, tokens, alice, wc };
  const mergeToRelease = await pullRequestToRelease(loop);
  outcome.mergeToReleaseSeconds = mergeToRelease;
  const v2At = Date.now();

  const v2Module = await t.step(
    "canary host syncs v2: the cumulative module replaces v1, no reboot",
    async (h) => {
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
      await checkOpenVex(
        h,
        s,
        ["CVE-2026-10001", "CVE-2026-10002", "CVE-2026-10003"],
        openVexFile(p.run, "canary"),
      );
      return livePatch(s);
    },
  );
  outcome.v2ToHostPatchedSeconds = (Date.now() - v2At) / 1000;

  await fleetRollout(loop, { canary: host.booted, stable }, { v1: v1Module, v2: v2Module });
}
