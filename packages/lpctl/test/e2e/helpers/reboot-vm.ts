/**
 * The reboot into a pre-fetched kernel, for real, in two qemu boots with no
 * network device ever. Boot 1 runs the lab kernel with Debian's signed cloud
 * vmlinuz installed as /boot/vmlinuz-<release> (what `apt install
 * linux-image-…` leaves) and syncs from a file:// mirror the publisher wrote
 * for both kernels; its /var/lib/lpctl travels to boot 2 through the console
 * (a tar in an output marker). Boot 2 ("the reboot") runs Debian's kernel
 * with that state and no mirror, and first runs the boot unit's own
 * ExecStart (read from the installed lpctl-boot.service); the time from its
 * start until it exits with the patch live is measured in the guest.
 * Used by packages/lpctl/test/e2e/reboot-vm.test.ts (assertions) and bench/reboot.mjs (the
 * figure).
 */
import { execa } from "execa";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {
  bootWithInit,
  nodeRuntimeFiles,
  type BootResult,
  type InitramfsFile,
} from "../../../src/builder/vm/index.js";
import { nextManifest, type PatchInfo } from "../../../src/core/manifest-build.js";
import type { Manifest } from "../../../src/core/manifest.js";
import { generateSigningKey } from "../../../src/core/sign/generate-signing-key.js";
import { createOpenpgpSigner } from "../../../src/core/sign/openpgp-signer.js";
import { readBuildOutputs } from "../../../src/publisher/read-build-outputs.js";
import { releaseFiles } from "../../../src/publisher/release-files.js";
import { writeMirror } from "../../../src/publisher/mirror-directory.js";
import { loadBuildInputs } from "../../../src/builder/build/build-inputs.js";
import { cachedKernel, type CachedKernel } from "../../helpers/cached-kernel.js";
import { buildTargetModule } from "./agent-mirrors.js";
import { debTreeFiles } from "./deb-tree.js";

const REPO = path.resolve(".");
const REPOSITORY = "livepatch-gitops/e2e";
const PATCH = "cmdline-banner";
const log = (l: string) => process.stderr.write(`[reboot-vm] ${l}\n`);

const CONFIG = `source: file:///srv/mirror/
repository: ${REPOSITORY}
keys: [/etc/lpctl/keys/release.asc]
transitionTimeout: 120
`;

const LIVEPATCH = `for d in /sys/kernel/livepatch/*; do [ -d "$d" ] && echo "\${d##*/} $(cat $d/enabled) $(cat $d/transition)"; done`;

// The .deb's /usr/bin/lpctl; /init's PATH is busybox's and node's.
const PATH = "export PATH=$PATH:/usr/bin";

const BOOT1 = `
${PATH}
mkdir -p /var/lib/lpctl
lp_out kernel "$(uname -r)"
out=$(lpctl sync 2>&1); rc=$?
lp_out sync "$out"
lp_step sync ok "rc=$rc"
lp_out status "$(lpctl status 2>&1)"
lp_out status-json "$(lpctl status --json 2>/dev/null)"
lp_out livepatch "$(${LIVEPATCH})"
lp_out state "$(cd /var/lib/lpctl && tar -czf - . | base64 -w 0)"
`;

// The boot unit's command, as installed; timed with the guest's own clock.
// LPCTL_TRACE=1 adds its phase lines (packages/lpctl/src/agent/trace.ts) to the output.
const BOOT2 = `
${PATH}
lp_out kernel "$(uname -r)"
lp_out before "$(cat /proc/cmdline)"
cmd=$(sed -n 's/^ExecStart=//p' /lib/systemd/system/lpctl-boot.service)
lp_out command "$cmd"
start=$(cut -d' ' -f1 /proc/uptime)
out=$(LPCTL_TRACE=1 $cmd 2>&1); rc=$?
end=$(cut -d' ' -f1 /proc/uptime)
lp_out livepatch "$(${LIVEPATCH})"
lp_out after "$(cat /proc/cmdline)"
lp_out offline "$out"
lp_step offline ok "rc=$rc start=$start end=$end"
lp_out status-json "$(lpctl status --json 2>/dev/null)"
lp_out status "$(lpctl status 2>&1)"
a=$(cut -d' ' -f1 /proc/uptime); /usr/bin/node -e 0; b=$(cut -d' ' -f1 /proc/uptime)
lp_step node-floor ok "start=$a end=$b"
`;

export interface RebootRun {
  lab: CachedKernel;
  cloud: CachedKernel;
  manifest: Manifest;
  boot1: BootResult;
  boot2: BootResult;
  /** Seconds from the boot unit's command start to its exit with the patch live (guest clock). */
  applySeconds: number | undefined;
  /** Guest uptime when the command started. */
  startedAtUptime: number | undefined;
  /** The command's phases from its trace lines (LPCTL_TRACE), in order. */
  phases: Phase[];
  /** Seconds `node -e 0` takes in the same guest afterwards: the floor under any node command. */
  nodeFloorSeconds: number | undefined;
}

export const outputOf = (b: BootResult, name: string): string => {
  const o = b.markers.outputs.get(name);
  if (o === undefined) throw new Error(`no output ${name}; console tail:\n${b.consoleTail}`);
  return o.text;
};
export const stepDetail = (b: BootResult, name: string) =>
  b.markers.steps.find((s) => s.name === name)?.detail;

/** Seconds between the guest uptimes a step's detail records as start= and end=. */
function spanOf(detail: string): number | undefined {
  const start = /start=([\d.]+)/.exec(detail)?.[1];
  const end = /end=([\d.]+)/.exec(detail)?.[1];
  if (start === undefined || end === undefined) return undefined;
  return Math.round((Number(end) - Number(start)) * 100) / 100;
}

/** One phase of the boot unit's command: what ended, and the milliseconds since the one before. */
export interface Phase {
  phase: string;
  ms: number;
}

/**
 * The phases of a traced command (packages/lpctl/src/agent/trace.ts): `lpctl-trace <ms> <phase>`
 * lines, ms since the process started; the first phase, "exec", is the time
 * from the shell's start time (guest uptime `startUptime`) to the process's
 * start, placed by the trace's uptime= line (/proc/uptime counts in 10 ms
 * steps: a few ms either way, even below 0); "exited" is the exit line to
 * the shell's end time `endUptime`.
 */
export function phasesOf(output: string, startUptime: number, endUptime: number): Phase[] {
  const lines = [...output.matchAll(/^lpctl-trace ([\d.]+) (\S+)$/gm)].map((m) => ({
    ms: Number(m[1]),
    phase: m[2] ?? "",
  }));
  const at = lines.find((l) => l.phase.startsWith("uptime="));
  const events = lines.filter((l) => !l.phase.startsWith("uptime="));
  if (at === undefined || events.length === 0) return [];
  // The process started at this uptime (seconds): its trace clock's zero.
  const zero = Number(at.phase.slice("uptime=".length)) - at.ms / 1000;
  const round = (ms: number) => Math.round(ms);
  const phases: Phase[] = [{ phase: "exec", ms: round((zero - startUptime) * 1000) }];
  let last = 0;
  for (const e of events) {
    phases.push({ phase: e.phase, ms: round(e.ms - last) });
    last = e.ms;
  }
  phases.push({ phase: "exited", ms: round((endUptime - zero) * 1000 - last) });
  return phases;
}

/** Boot 1's /var/lib/lpctl, unpacked from its console output into a host directory. */
async function unpackState(work: string, boot1: BootResult): Promise<string> {
  const dir = path.join(work, "state");
  await mkdir(dir);
  const tgz = path.join(work, "state.tgz");
  await writeFile(tgz, Buffer.from(outputOf(boot1, "state").trim(), "base64"));
  await execa("tar", ["-xzf", tgz, "-C", dir]);
  return dir;
}

export interface RebootInputs {
  lab: CachedKernel;
  cloud: CachedKernel;
  manifest: Manifest;
  mirror: string;
  /** The guest files both boots share: node, the .deb's tree, config and key. */
  host: InitramfsFile[];
  work: string;
}

/** Both kernels' modules built, one signed release for both in a mirror, the .deb unpacked. */
export async function prepareRebootInputs(): Promise<RebootInputs> {
  const work = await mkdtemp(path.join(os.tmpdir(), "lpctl-reboot-vm-"));
  const lab = await cachedKernel("debian-6.1-lab");
  const cloud = await cachedKernel("debian-12-cloud-amd64");
  const builds = [
    await buildTargetModule(work, "debian-6.1-lab", "1", [PATCH]),
    await buildTargetModule(work, "debian-12-cloud-amd64", "1", [PATCH]),
  ];
  const { patches } = await loadBuildInputs(REPO, "debian-6.1-lab");
  const info: Record<string, PatchInfo> = Object.fromEntries(
    patches.map((p) => [p.id, { title: p.title, cves: p.cves }]),
  );
  const key = await generateSigningKey({ name: "reboot e2e", date: new Date(Date.now() - 60_000) });
  const signer = await createOpenpgpSigner(key.privateKey);
  const outputs = await readBuildOutputs(builds);
  const manifest = nextManifest({
    reports: outputs.reports,
    patches: info,
    repository: REPOSITORY,
    now: new Date(),
  });
  const mirror = path.join(work, "mirror");
  await writeMirror(
    mirror,
    await releaseFiles({ manifest, modules: outputs.modules, signer }),
    log,
  );
  const deb = await debTreeFiles();
  const host: InitramfsFile[] = [
    ...(await nodeRuntimeFiles()),
    ...deb.files,
    { path: "/etc/lpctl/config.yaml", content: CONFIG },
    { path: "/etc/lpctl/keys/release.asc", content: key.publicKey },
  ];
  return { lab, cloud, manifest, mirror, host, work };
}

/** Boot 1 then boot 2 from `inputs` (a fresh guest state each time). */
export async function runRebootScenario(inputs?: RebootInputs): Promise<RebootRun> {
  const { lab, cloud, manifest, mirror, host } = inputs ?? (await prepareRebootInputs());
  const work = await mkdtemp(path.join(os.tmpdir(), "lpctl-reboot-run-"));
  const boot = async (name: string, bzImage: string, files: InitramfsFile[], init: string) => {
    const r = await bootWithInit({
      bzImage,
      memoryMb: 1024,
      timeoutMs: 900_000,
      gzipLevel: 1,
      files,
      init,
    });
    log(
      `${name}: ${r.outcome} in ${r.durationMs} ms (${r.accel}), initramfs ${r.initramfsBytes} bytes`,
    );
    return r;
  };
  const boot1 = await boot(
    "boot 1 (lab kernel, Debian's image installed)",
    lab.bzImage,
    [
      ...host,
      { path: "/srv/mirror", tree: mirror },
      { path: `/boot/vmlinuz-${cloud.release}`, source: cloud.bzImage },
    ],
    BOOT1,
  );
  log(`boot 1 sync (${stepDetail(boot1, "sync") ?? "?"}):\n${outputOf(boot1, "sync")}`);
  log(`boot 1 status:\n${outputOf(boot1, "status")}`);
  const state = await unpackState(work, boot1);
  const boot2 = await boot(
    "boot 2 (Debian's kernel, no mirror)",
    cloud.bzImage,
    [...host, { path: "/var/lib/lpctl", tree: state }],
    BOOT2,
  );
  const detail = stepDetail(boot2, "offline") ?? "";
  const start = /start=([\d.]+)/.exec(detail)?.[1];
  const end = /end=([\d.]+)/.exec(detail)?.[1];
  const applySeconds = spanOf(detail);
  const offline = boot2.markers.outputs.get("offline")?.text ?? "";
  log(`boot 2 ${detail}:\n${offline}`);
  return {
    lab,
    cloud,
    manifest,
    boot1,
    boot2,
    applySeconds,
    startedAtUptime: start === undefined ? undefined : Number(start),
    phases:
      start === undefined || end === undefined ? [] : phasesOf(offline, Number(start), Number(end)),
    nodeFloorSeconds: spanOf(stepDetail(boot2, "node-floor") ?? ""),
  };
}
