/**
 * The host agent for real: the lab kernel booted in qemu with node, the
 * lpctl-agent .deb unpacked into its root the way dpkg lays it out
 * (/usr/bin/lpctl, units, config), and file:// mirrors written by the
 * publisher. sync v1 → status; switch to v2 (cumulative) → replaced live;
 * switch to a tampered v2 → refused, the applied patch untouched. Then, with
 * a second configuration (--config, its own state), a first apply of a
 * module the kernel cannot transition: reverted, and status says
 * apply-failed with its CVE pending. After each step the host's own OpenVEX
 * statement (status --format openvex) is checked against the official schema.
 */
import { readFile } from "node:fs/promises";
import { beforeAll, describe, expect, it } from "vitest";
import type { StatusReport } from "../../src/agent/status-report.js";
import { bootWithInit, nodeRuntimeFiles, type BootResult } from "../../src/builder/vm/index.js";
import {
  prepareAgentVmInputs,
  WITHDRAW_REASON,
  type AgentVmInputs,
} from "./helpers/agent-mirrors.js";
import { debTreeFiles } from "./helpers/deb-tree.js";
import { STUCK_CVE, STUCK_PATCH } from "./helpers/stuck-mirror.js";
import { openvexErrors } from "@livepatch-gitops/test-support/openvex-schema";

const CONFIG = `source: file:///srv/mirror/
repository: livepatch-gitops/e2e
keys: [/etc/lpctl/keys/release.asc]
transitionTimeout: 120
`;

// The operator's second configuration: its own state, a short transition timeout.
const STUCK_CONFIG = `source: file:///srv/m4/
repository: livepatch-gitops/e2e
keys: [/etc/lpctl/keys/release.asc]
stateDir: /var/lib/lpctl-stuck
transitionTimeout: 8
signalAfter: 2
`;

const INIT = `
mkdir -p /var/lib/lpctl
A=/usr/bin/lpctl
lp_out version "$($A --version 2>&1)"
run() {
  step=$1; shift
  out=$($A sync "$@" 2>&1); rc=$?
  lp_out "$step-sync" "$out"
  lp_step "$step-sync" ok "rc=$rc"
  st=$($A status --json "$@" 2>/dev/null); src=$?
  lp_out "$step-status" "$st"
  lp_step "$step-status" ok "rc=$src"
  lp_out "$step-status-text" "$($A status "$@" 2>&1)"
  lp_out "$step-vex" "$($A status --format openvex "$@" 2>&1)"
  lp_out "$step-cmdline" "$(cat /proc/cmdline)"
  lp_out "$step-version" "$(cat /proc/version)"
  lp_out "$step-livepatch" "$(for d in /sys/kernel/livepatch/*; do echo "$d $(cat $d/enabled) $(cat $d/transition)"; done)"
  lp_out "$step-modules" "$(cat /proc/modules)"
}
ln -s /srv/m1 /srv/mirror
run v1
ln -sfn /srv/m2 /srv/mirror
run v2
ln -sfn /srv/m3 /srv/mirror
run v3
run stuck --config /etc/lpctl/stuck.yaml
ln -sfn /srv/m5 /srv/mirror
run withdrawn
ln -sfn /srv/m2 /srv/mirror
run replay
`;

let inputs: AgentVmInputs;
let boot: BootResult;

const out = (name: string): string => {
  const o = boot.markers.outputs.get(name);
  if (o === undefined) throw new Error(`no output ${name}; console tail:\n${boot.consoleTail}`);
  return o.text;
};
const rc = (name: string) => boot.markers.steps.find((s) => s.name === name)?.detail;
const status = (name: string) => JSON.parse(out(name)) as StatusReport;
/** The host's OpenVEX statement after `step`, checked against the schema: "CVE status" per statement. */
const vex = (step: string): string[] => {
  const doc = JSON.parse(out(`${step}-vex`)) as {
    statements: { vulnerability: { name: string }; status: string }[];
  };
  expect(openvexErrors(doc)).toBe("");
  return doc.statements.map((st) => `${st.vulnerability.name} ${st.status}`);
};

describe("lpctl agent in the lab kernel (qemu)", () => {
  beforeAll(async () => {
    inputs = await prepareAgentVmInputs();
    const deb = await debTreeFiles();
    process.stderr.write(`[agent-vm] installing ${deb.deb} into the guest root\n`);
    const [m1, m2, m3] = inputs.mirrors;
    boot = await bootWithInit({
      bzImage: inputs.bzImage,
      memoryMb: 1024,
      timeoutMs: 900_000,
      gzipLevel: 1,
      files: [
        ...(await nodeRuntimeFiles()),
        ...deb.files,
        // The operator's edits to the packaged configuration.
        { path: "/etc/lpctl/config.yaml", content: CONFIG },
        { path: "/etc/lpctl/stuck.yaml", content: STUCK_CONFIG },
        { path: "/etc/lpctl/keys/release.asc", content: inputs.publicKey },
        { path: "/srv/m1", tree: m1 },
        { path: "/srv/m2", tree: m2 },
        { path: "/srv/m3", tree: m3 },
        { path: "/srv/m4", tree: inputs.stuck.mirror },
        { path: "/srv/m5", tree: inputs.withdrawn.mirror },
      ],
      init: INIT,
    });
    process.stderr.write(
      `[agent-vm] boot ${boot.outcome}: ${boot.durationMs} ms, initramfs ${boot.initramfsBytes} bytes\n`,
    );
    for (const step of ["v1", "v2", "v3", "stuck", "withdrawn", "replay"]) {
      const text = boot.markers.outputs.get(`${step}-sync`)?.text ?? "(none)";
      const st = boot.markers.outputs.get(`${step}-status-text`)?.text ?? "(none)";
      process.stderr.write(
        `[agent-vm] ${step}: lpctl sync (${rc(`${step}-sync`) ?? "?"}):\n${text}\n` +
          `[agent-vm] ${step}: lpctl status (${rc(`${step}-status`) ?? "?"}):\n${st}\n`,
      );
    }
    process.stderr.write(
      `[agent-vm] stuck: lpctl status --json:\n${boot.markers.outputs.get("stuck-status")?.text ?? "(none)"}\n`,
    );
    // Builds wait for other tests' kernel prepare and kpatch-build on a shared machine.
  }, 3_600_000);

  it("boots and runs every step, lpctl installed from the .deb", async () => {
    expect(boot.outcome, boot.consoleTail).toBe("completed");
    expect(boot.markers.malformed).toEqual([]);
    const pkg = JSON.parse(await readFile("package.json", "utf8")) as { version: string };
    expect(out("version")).toBe(pkg.version);
  });

  it("v1: sync applies the cmdline-banner module; status lists it and its CVE", () => {
    const name = inputs.manifests[0].kernels[0]?.module?.name ?? "";
    expect(rc("v1-sync"), out("v1-sync")).toBe("rc=0");
    expect(out("v1-sync")).toContain(`applied ${name} (1 patch, CVE-2026-10001)`);
    expect(rc("v1-status")).toBe("rc=0");
    const s = status("v1-status");
    expect(s).toMatchObject({
      schema: 2,
      check: { result: "ok", error: null },
      patchState: "applied",
      verdict: "ok",
      pending: [],
      kernel: { buildId: inputs.buildId },
      manifest: { version: inputs.manifests[0].version },
      module: { name, loaded: true, enabled: true, transition: false },
      cves: ["CVE-2026-10001"],
    });
    expect(out("v1-cmdline")).toContain("livepatched");
    expect(out("v1-livepatch")).toBe(`/sys/kernel/livepatch/${name} 1 0`);
    expect(vex("v1")).toEqual(["CVE-2026-10001 fixed"]);
  });

  it("v2: the cumulative module replaces v1 live; v1 is gone and unloaded; both effects visible", () => {
    const v1 = inputs.manifests[0].kernels[0]?.module?.name ?? "";
    const v2 = inputs.manifests[1].kernels[0]?.module?.name ?? "";
    expect(rc("v2-sync"), out("v2-sync")).toBe("rc=0");
    expect(out("v2-sync")).toContain(`applied ${v2} (2 patches`);
    expect(out("v2-sync")).toContain(`unloaded previous ${v1}`);
    expect(out("v2-livepatch")).toBe(`/sys/kernel/livepatch/${v2} 1 0`);
    expect(out("v2-modules")).not.toContain(v1);
    expect(out("v2-modules")).toContain(v2);
    expect(out("v2-cmdline")).toContain("livepatched");
    expect(out("v2-version")).toContain("(livepatched)");
    const s = status("v2-status");
    expect(s.module?.name).toBe(v2);
    expect(s.cves).toEqual(["CVE-2026-10001", "CVE-2026-10002"]);
    expect(vex("v2")).toEqual(["CVE-2026-10001 fixed", "CVE-2026-10002 fixed"]);
    expect(s.manifest?.version).toBe(inputs.manifests[1].version);
  });

  it("v3: a tampered manifest is refused with exit 2 and the applied patch stays", () => {
    const v2 = inputs.manifests[1].kernels[0]?.module?.name ?? "";
    expect(rc("v3-sync"), out("v3-sync")).toBe("rc=2");
    expect(out("v3-sync")).toMatch(/signature/i);
    expect(out("v3-livepatch")).toBe(`/sys/kernel/livepatch/${v2} 1 0`);
    expect(out("v3-version")).toContain("(livepatched)");
    // The patch state is still applied; the check was refused: status exits 2.
    expect(rc("v3-status")).toBe("rc=2");
    const s = status("v3-status");
    expect(s.module?.name).toBe(v2);
    expect(s.patchState).toBe("applied");
    expect(s.check).toMatchObject({ result: "refused", error: { code: "SIGNATURE_INVALID" } });
  });

  it("stuck: a first apply whose transition never finishes is reverted; status: apply-failed, its CVE pending, exit 1", () => {
    const v2 = inputs.manifests[1].kernels[0]?.module?.name ?? "";
    const stuck = inputs.stuck.manifest.kernels[0]?.module?.name ?? "";
    expect(rc("stuck-sync"), out("stuck-sync")).toBe("rc=1");
    // Linux 6.1 has no livepatch signal file: the kernel signals blocking tasks itself.
    expect(out("stuck-sync")).toContain(
      `${stuck}: transition still running after 2s; the kernel signals the blocking tasks itself`,
    );
    expect(out("stuck-sync")).toContain(
      `${stuck}: transition did not finish within 8s; reverting it`,
    );
    expect(out("stuck-sync")).toMatch(/TRANSITION_TIMEOUT/);
    // Reverted and unloaded; the other configuration's patch is untouched.
    expect(out("stuck-livepatch")).toBe(`/sys/kernel/livepatch/${v2} 1 0`);
    expect(out("stuck-modules")).not.toContain(stuck);
    expect(rc("stuck-status")).toBe("rc=1");
    const s = status("stuck-status");
    expect(s).toMatchObject({
      schema: 2,
      patchState: "apply-failed",
      verdict: "failing",
      check: { result: "failed", error: { code: "TRANSITION_TIMEOUT" } },
      applyError: { module: stuck, code: "TRANSITION_TIMEOUT" },
      manifest: { version: inputs.stuck.manifest.version, expired: false },
      coveredUntil: inputs.stuck.manifest.expires,
      module: null,
      applied: [],
      exposed: [STUCK_CVE],
    });
    expect(s.pending).toEqual([
      expect.objectContaining({
        id: STUCK_PATCH,
        cves: [STUCK_CVE],
        reason: expect.stringMatching(
          `^applying ${stuck} failed at .*TRANSITION_TIMEOUT`,
        ) as string,
      }),
    ]);
    expect(out("stuck-status-text")).toMatch(/^patch state: +apply-failed$/m);
    expect(out("stuck-status-text")).toMatch(new RegExp(`^exposed to: +${STUCK_CVE}$`, "m"));
    // Not live, so not fixed: the host's statement says affected.
    expect(vex("stuck")).toEqual([`${STUCK_CVE} affected`]);
  });

  it("withdrawn: an entry without a module unloads v2 live, no reboot; status says why", () => {
    const v2 = inputs.manifests[1].kernels[0]?.module?.name ?? "";
    const m = inputs.withdrawn.manifest;
    expect(m.kernels[0]?.module).toBeUndefined();
    expect(rc("withdrawn-sync"), out("withdrawn-sync")).toBe("rc=0");
    expect(out("withdrawn-sync")).toContain(`withdrawn: unloaded ${v2}`);
    expect(out("withdrawn-livepatch")).not.toContain(v2);
    expect(out("withdrawn-modules")).not.toContain(v2);
    expect(out("withdrawn-cmdline")).not.toContain("livepatched");
    expect(out("withdrawn-version")).not.toContain("(livepatched)");
    expect(rc("withdrawn-status")).toBe("rc=0");
    const s = status("withdrawn-status");
    expect(s).toMatchObject({
      patchState: "withdrawn",
      verdict: "ok",
      module: null,
      applied: [],
      manifest: { version: m.version },
      withdrawal: { module: v2, version: m.version },
    });
    expect(s.withdrawn.map((w) => [w.id, w.version, w.reason])).toEqual([
      ["cmdline-banner", m.version, WITHDRAW_REASON],
      ["version-banner", m.version, WITHDRAW_REASON],
    ]);
    expect(out("withdrawn-status-text")).toContain(
      `withdrawn in version ${m.version}: ${WITHDRAW_REASON}`,
    );
  });

  it("replay: v2 served again after the withdrawal is refused as a rollback; nothing is loaded", () => {
    const v2 = inputs.manifests[1].kernels[0]?.module?.name ?? "";
    expect(rc("replay-sync"), out("replay-sync")).toBe("rc=2");
    expect(out("replay-sync")).toMatch(/MANIFEST_ROLLBACK/);
    expect(out("replay-livepatch")).not.toContain(v2);
    expect(out("replay-modules")).not.toContain(v2);
    const s = status("replay-status");
    expect(s.check).toMatchObject({ result: "refused", error: { code: "MANIFEST_ROLLBACK" } });
    expect(s.manifest?.version).toBe(inputs.withdrawn.manifest.version);
    expect(s.patchState).toBe("withdrawn");
  });
});
