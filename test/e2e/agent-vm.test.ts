/**
 * The host agent for real: the lab kernel booted in qemu with node, the
 * single-file agent bundle and file:// mirrors written by the publisher in
 * its initramfs. sync v1 → status; switch to v2 (cumulative) → replaced
 * live; switch to a tampered v2 → refused, the applied patch untouched.
 */
import { execa } from "execa";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { StatusReport } from "../../src/agent/status-report.js";
import { bootWithInit, nodeRuntimeFiles, type BootResult } from "../../src/builder/vm/index.js";
import { prepareAgentVmInputs, type AgentVmInputs } from "./helpers/agent-mirrors.js";

const CONFIG = `source: file:///srv/mirror/
repository: livepatch-gitops/e2e
keys: [/etc/lpctl/keys/release.asc]
transitionTimeout: 120
`;

const INIT = `
mkdir -p /var/lib/lpctl
A="node /opt/lpctl/lpctl-agent.mjs"
run() {
  out=$($A sync 2>&1); rc=$?
  lp_out "$1-sync" "$out"
  lp_step "$1-sync" ok "rc=$rc"
  lp_out "$1-status" "$($A status --json 2>&1)"
  lp_out "$1-cmdline" "$(cat /proc/cmdline)"
  lp_out "$1-version" "$(cat /proc/version)"
  lp_out "$1-livepatch" "$(for d in /sys/kernel/livepatch/*; do echo "$d $(cat $d/enabled) $(cat $d/transition)"; done)"
  lp_out "$1-modules" "$(cat /proc/modules)"
}
ln -s /srv/m1 /srv/mirror
run v1
ln -sfn /srv/m2 /srv/mirror
run v2
ln -sfn /srv/m3 /srv/mirror
run v3
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

describe("lpctl agent in the lab kernel (qemu)", () => {
  beforeAll(async () => {
    inputs = await prepareAgentVmInputs();
    const bundleDir = await mkdtemp(path.join(os.tmpdir(), "lpctl-bundle-"));
    const bundle = path.join(bundleDir, "lpctl-agent.mjs");
    await execa("node", ["scripts/build-agent-bundle.mjs", bundle]);
    const [m1, m2, m3] = inputs.mirrors;
    boot = await bootWithInit({
      bzImage: inputs.bzImage,
      memoryMb: 1024,
      timeoutMs: 900_000,
      gzipLevel: 1,
      files: [
        ...(await nodeRuntimeFiles()),
        { path: "/opt/lpctl/lpctl-agent.mjs", source: bundle, mode: 0o755 },
        { path: "/etc/lpctl/config.yaml", content: CONFIG },
        { path: "/etc/lpctl/keys/release.asc", content: inputs.publicKey },
        { path: "/srv/m1", tree: m1 },
        { path: "/srv/m2", tree: m2 },
        { path: "/srv/m3", tree: m3 },
      ],
      init: INIT,
    });
    process.stderr.write(
      `[agent-vm] boot ${boot.outcome}: ${boot.durationMs} ms, initramfs ${boot.initramfsBytes} bytes\n`,
    );
    for (const step of ["v1", "v2", "v3"]) {
      const text = boot.markers.outputs.get(`${step}-sync`)?.text ?? "(none)";
      process.stderr.write(
        `[agent-vm] ${step}: lpctl sync (${rc(`${step}-sync`) ?? "?"}):\n${text}\n`,
      );
    }
    // Builds wait for other tests' kernel prepare and kpatch-build on a shared machine.
  }, 3_600_000);

  it("boots and runs every step", () => {
    expect(boot.outcome, boot.consoleTail).toBe("completed");
    expect(boot.markers.malformed).toEqual([]);
  });

  it("v1: sync applies the cmdline-banner module; status lists it and its CVE", () => {
    const name = inputs.manifests[0].kernels[0]?.module.name ?? "";
    expect(rc("v1-sync"), out("v1-sync")).toBe("rc=0");
    expect(out("v1-sync")).toContain(`applied ${name} (1 patch, CVE-2026-10001)`);
    const s = status("v1-status");
    expect(s).toMatchObject({
      schema: 1,
      patchState: "applied",
      kernel: { buildId: inputs.buildId },
      manifest: { version: inputs.manifests[0].version },
      module: { name, loaded: true, enabled: true, transition: false },
      cves: ["CVE-2026-10001"],
    });
    expect(out("v1-cmdline")).toContain("livepatched");
    expect(out("v1-livepatch")).toBe(`/sys/kernel/livepatch/${name} 1 0`);
  });

  it("v2: the cumulative module replaces v1 live; v1 is gone and unloaded; both effects visible", () => {
    const v1 = inputs.manifests[0].kernels[0]?.module.name ?? "";
    const v2 = inputs.manifests[1].kernels[0]?.module.name ?? "";
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
    expect(s.manifest?.version).toBe(inputs.manifests[1].version);
  });

  it("v3: a tampered manifest is refused with exit 2 and the applied patch stays", () => {
    const v2 = inputs.manifests[1].kernels[0]?.module.name ?? "";
    expect(rc("v3-sync"), out("v3-sync")).toBe("rc=2");
    expect(out("v3-sync")).toMatch(/signature/i);
    expect(out("v3-livepatch")).toBe(`/sys/kernel/livepatch/${v2} 1 0`);
    expect(out("v3-version")).toContain("(livepatched)");
    const s = status("v3-status");
    expect(s.module?.name).toBe(v2);
    expect(s.patchState).toBe("applied");
    expect(s.lastError?.code).toBe("SIGNATURE_INVALID");
  });
});
