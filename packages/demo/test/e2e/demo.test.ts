/**
 * `npm run demo` as a user runs it (its set-up aside: the suite's own):
 * packages/demo/dist/main.js end to end — forge and app processes, build.yml on the
 * forge's runner building for Debian's cloud kernel per changed object, v1,
 * a host VM running Debian's own signed vmlinuz syncing over HTTP, the pull
 * request, the gate, v2 replacing v1 live — exit 0, the timings file, and
 * nothing left listening afterwards. Then Ctrl-C in the middle stops
 * everything. dist/ and the agent bundle are built by the e2e project's
 * global set-up (helpers/build-dist.ts).
 */
import { execa } from "execa";
import { mkdtemp, readFile } from "node:fs/promises";
import { connect } from "node:net";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadBuildInputs } from "@livepatch-gitops/lpctl/builder/build/build-inputs";
import { openVexFile } from "../../src/fleet.js";
import { openvexErrors } from "@livepatch-gitops/test-support/openvex-schema";
import {
  E2E_DEMO_DATA,
  E2E_FORGE_TOOL_CACHE,
  REPO_ROOT,
} from "@livepatch-gitops/test-support/forge-loop";

const TARGET = "debian-12-cloud-amd64";

interface DemoRecord {
  ok: boolean;
  run: string;
  steps: { name: string; seconds: number; ok: boolean }[];
  forgeUrl?: string;
  appPort?: number;
  pushToReleaseSeconds?: number;
  v2ToHostPatchedSeconds?: number;
}

/** Whether anything accepts connections on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, "127.0.0.1");
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}

const demo = (args: string[]) =>
  execa(
    "node",
    [
      path.join(REPO_ROOT, "packages/demo/dist/main.js"),
      "--data",
      E2E_DEMO_DATA,
      // The forge loop test's tool cache: one `npm ci` and build in a job per test run.
      "--tool-cache",
      E2E_FORGE_TOOL_CACHE,
      ...args,
    ],
    {
      cwd: REPO_ROOT,
      reject: false,
      all: true,
      // The demo's own shutdown is under test: no SIGKILL from execa 5 s after SIGINT.
      forceKillAfterDelay: false,
    },
  );

describe("npm run demo", () => {
  it("plays the whole loop, every check passing, and leaves nothing running", async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), "lpctl-demo-e2e-"));
    const results = path.join(out, "demo.json");
    const run = await demo(["--results", results]);
    process.stderr.write(`[demo]\n${String(run.all)}\n`);
    expect(run.exitCode, String(run.all)).toBe(0);
    const text = String(run.all);
    // No kernel compiled: the lab target never enters the demo's repository.
    expect(text).not.toContain("debian-6.1-lab");
    expect(text).not.toMatch(/make -j\d+ bzImage/);
    // The host runs Debian's own kernel: its release, Debian's compiler and
    // build in /proc/version (before any patch), the build-id the target pins.
    const { target } = await loadBuildInputs(REPO_ROOT, TARGET);
    expect(text).toContain(`host$ uname -r          ${target.release}`);
    expect(target.release).toBe("6.1.0-57-cloud-amd64");
    expect(text).toMatch(
      /host\$ cat \/proc\/version Linux version 6\.1\.0-57-cloud-amd64 \(debian-kernel@lists\.debian\.org\) \(gcc-12 \(Debian 12\.2\.0-14\+deb12u1\) 12\.2\.0.* Debian 6\.1\.192-3 /,
    );
    expect(text).toContain(`host's build-id ${target.buildId ?? "?"} = ${TARGET}'s buildId`);
    expect(text).toContain(
      "initramfs modules (Debian's, in load order): virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci failover net_failover virtio_net",
    );
    // v1 live: the agent's own words, the livepatch sysfs state, the patched file.
    expect(text).toMatch(
      /applied lp_debian_12_cloud_amd64_1 \(2 patches, CVE-2026-10001, CVE-2026-10002\)/,
    );
    expect(text).toMatch(/host\$ cat \/proc\/cmdline: .* livepatched/);
    expect(text).toMatch(/host\$ cat \/proc\/version: .*\(livepatched\)/);
    expect(text).toContain(
      "host$ /sys/kernel/livepatch: lp_debian_12_cloud_amd64_1 enabled=1 transition=0",
    );
    expect(text).toContain("alice's merge before review: HTTP 405");
    expect(text).toContain("bob approving his own pull request: HTTP 422");
    // v2 live in the same boot: the cumulative module, alone in /sys/kernel/livepatch.
    expect(text).toMatch(/applied lp_debian_12_cloud_amd64_3 \(3 patches, /);
    expect(text).toMatch(/host\$ cat \/proc\/loadavg: [\d. /]+ livepatched/);
    expect(text).toContain(
      "host$ /sys/kernel/livepatch: lp_debian_12_cloud_amd64_3 enabled=1 transition=0",
    );
    // Rings: stable held at v1's module, then promoted to v2's; the host's own OpenVEX statement.
    expect(text).toContain(
      "the stable host still runs lp_debian_12_cloud_amd64_1: its ring names release 1",
    );
    expect(text).toContain("livepatch / rings: success");
    expect(text).toMatch(
      /host\$ lpctl status --format openvex: fixed CVE-2026-10001, CVE-2026-10002, CVE-2026-10003/,
    );
    // The withdrawal: both hosts leave the loadavg patch live, and say why.
    expect(text).toMatch(/canary host runs lp_debian_12_cloud_amd64_\d+; loadavg-banner withdrawn/);
    expect(text).toContain("stable host runs lp_debian_12_cloud_amd64_1; loadavg-banner withdrawn");
    expect(text).toMatch(/withdrawn: +loadavg-banner CVE-2026-10003 — withdrawn in version 4: /);
    // Each host's own statement, as it printed it, against the official OpenVEX schema.
    for (const host of ["canary", "stable"]) {
      const vex = JSON.parse(
        await readFile(openVexFile(path.join(E2E_DEMO_DATA, "run"), host), "utf8"),
      ) as { statements: { vulnerability: { name: string }; status: string }[] };
      expect(openvexErrors(vex)).toBe("");
      expect(
        vex.statements.filter((st) => st.status === "fixed").map((st) => st.vulnerability.name),
      ).toEqual(expect.arrayContaining(["CVE-2026-10001", "CVE-2026-10002", "CVE-2026-10003"]));
    }
    expect(text).toContain("every check passed");

    const record = JSON.parse(await readFile(results, "utf8")) as DemoRecord;
    expect(record.ok).toBe(true);
    expect(record.steps.map((s) => s.ok)).not.toContain(false);
    // Each approval's step shows its commit on its start and its end line: once each, in order.
    const approved = [
      ...new Set([...text.matchAll(/carol approves (\w{7})/g)].map((m) => m[1] ?? "?")),
    ];
    const approves = (n: number) => `carol approves ${approved[n] ?? "?"} → safety review passes`;
    expect(record.steps.map((s) => s.name)).toEqual([
      "kernel debian-12-cloud-amd64 prepared (no kernel compiled)",
      "release signing key",
      "forge and app running (separate processes)",
      "acme/livepatches: alice pushes kernels/debian-12-cloud-amd64 and patches/ to main",
      "push run on main builds every target → app publishes v1",
      "canary host: Debian's cloud kernel booted in qemu; its agent syncs v1 over HTTP",
      "stable host: a second VM in ring stable syncs v1 (its ring names release 1)",
      "bob pushes loadavg-banner and opens a pull request",
      "checks on pull request #1",
      "the gate holds: no merge, no self-approval",
      approves(0),
      "alice merges → push run → app publishes v2",
      "canary host syncs v2: the cumulative module replaces v1, no reboot",
      "stable host syncs v2: held at release 1",
      "alice pushes promote-stable and opens a pull request",
      "checks on pull request #2",
      approves(1),
      "alice merges → push run → app publishes v3",
      "stable host syncs v3: promoted to release 2's module, no reboot",
      "bob pushes withdraw-loadavg-banner and opens a pull request",
      "checks on pull request #3",
      approves(2),
      "alice merges → push run → app publishes v4",
      "both hosts sync v4: the withdrawn patch leaves both, no reboot",
    ]);
    expect(record.pushToReleaseSeconds).toBeGreaterThan(0);
    expect(record.v2ToHostPatchedSeconds).toBeGreaterThan(0);
    const forgePort = Number(new URL(record.forgeUrl ?? "http://x:1").port);
    expect(await listening(forgePort)).toBe(false);
    expect(await listening(record.appPort ?? 1)).toBe(false);
    const left = await execa("pgrep", ["-f", E2E_DEMO_DATA], { reject: false });
    expect(left.stdout).toBe("");
  }, 3_600_000);

  it("Ctrl-C stops the forge and the app and exits 130", async () => {
    const child = demo([]);
    let text = "";
    await new Promise<void>((resolve) => {
      child.all?.on("data", (b: Buffer) => {
        text += b.toString("utf8");
        if (text.includes("✓ acme/livepatches")) resolve();
      });
    });
    const t0 = Date.now();
    child.kill("SIGINT");
    const res = await child;
    process.stderr.write(`[demo] Ctrl-C → exit in ${String(Date.now() - t0)} ms\n`);
    expect([res.exitCode, res.signal], String(res.all)).toEqual([130, undefined]);
    const port = /forge (http:\/\/127\.0\.0\.1:(\d+))/.exec(text)?.[2];
    const appPort = /on 127\.0\.0\.1:(\d+);/.exec(text)?.[1];
    expect(port).toBeDefined();
    expect(await listening(Number(port))).toBe(false);
    expect(await listening(Number(appPort))).toBe(false);
    const left = await execa("pgrep", ["-f", E2E_DEMO_DATA], { reject: false });
    expect(left.stdout).toBe("");
  }, 600_000);
});
