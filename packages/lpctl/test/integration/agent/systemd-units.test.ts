import { chmod, mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { runCli } from "../../../src/cli/run.js";

describe("packages/lpctl/contrib/systemd units", () => {
  it("lpctl install-units writes units that systemd-analyze verify accepts without warnings", async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), "lpctl-units-"));
    // systemd-analyze checks that ExecStart is executable: give it a real file.
    const exec = path.join(root, "lpctl");
    await writeFile(exec, "#!/bin/sh\nexit 0\n");
    await chmod(exec, 0o755);
    const out: string[] = [];
    const code = await runCli(["install-units", "--root", root, "--exec", exec], {
      out: (l) => out.push(l),
      err: (l) => out.push(l),
    });
    expect(code).toBe(0);
    const dir = path.join(root, "etc/systemd/system");
    const service = await readFile(path.join(dir, "lpctl-sync.service"), "utf8");
    expect(service).toMatch(new RegExp(`^ExecStart=${exec} sync$`, "m"));
    const boot = await readFile(path.join(dir, "lpctl-boot.service"), "utf8");
    expect(boot).toMatch(new RegExp(`^ExecStart=${exec} sync --offline$`, "m"));
    const r = await execa(
      "systemd-analyze",
      [
        "verify",
        path.join(dir, "lpctl-sync.service"),
        path.join(dir, "lpctl-sync.timer"),
        path.join(dir, "lpctl-boot.service"),
      ],
      { reject: false, all: true, env: { SYSTEMD_LOG_LEVEL: "warning" } },
    );
    expect(r.all).toBe("");
    expect(r.exitCode).toBe(0);
  });

  it("install-units --config passes a non-default configuration to sync, and systemd accepts it", async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), "lpctl-units-"));
    const exec = path.join(root, "lpctl");
    await writeFile(exec, "#!/bin/sh\nexit 0\n");
    await chmod(exec, 0o755);
    const out: string[] = [];
    const code = await runCli(
      ["install-units", "--root", root, "--exec", exec, "--config", "/etc/lpctl/fleet-a.yaml"],
      { out: (l) => out.push(l), err: (l) => out.push(l) },
    );
    expect(code, out.join("\n")).toBe(0);
    const unit = path.join(root, "etc/systemd/system/lpctl-sync.service");
    expect(await readFile(unit, "utf8")).toMatch(
      new RegExp(`^ExecStart=${exec} sync --config /etc/lpctl/fleet-a.yaml$`, "m"),
    );
    const r = await execa("systemd-analyze", ["verify", unit], {
      reject: false,
      all: true,
      env: { SYSTEMD_LOG_LEVEL: "warning" },
    });
    expect(r.all).toBe("");
    const bad = await runCli(["install-units", "--root", root, "--config", "relative.yaml"], {
      out: () => undefined,
      err: (l) => out.push(l),
    });
    expect(bad).toBe(64);
    expect(out.join("\n")).toMatch(/--config must be an absolute path/);
  });

  it("keeps what insmod and the livepatch sysfs need, and the timer is hourly and randomized", async () => {
    const service = await readFile("packages/lpctl/contrib/systemd/lpctl-sync.service", "utf8");
    const timer = await readFile("packages/lpctl/contrib/systemd/lpctl-sync.timer", "utf8");
    const directives = service.split("\n").filter((l) => !l.startsWith("#"));
    // ProtectKernelModules= would block init_module; ProtectKernelTunables= makes /sys read-only.
    expect(directives.some((l) => l.startsWith("ProtectKernelModules="))).toBe(false);
    expect(directives.some((l) => l.startsWith("ProtectKernelTunables="))).toBe(false);
    for (const d of [
      "Type=oneshot",
      "NoNewPrivileges=yes",
      "CapabilityBoundingSet=CAP_SYS_MODULE",
      "ProtectSystem=strict",
      "ProtectHome=yes",
      "PrivateTmp=yes",
    ]) {
      expect(directives).toContain(d);
    }
    expect(directives.find((l) => l.startsWith("ReadWritePaths="))).toContain("/var/lib/lpctl");
    expect(timer).toMatch(/^OnCalendar=hourly$/m);
    expect(timer).toMatch(/^RandomizedDelaySec=/m);
    expect(timer).toMatch(/^Persistent=true$/m);
  });

  it("the boot unit runs early, before the network, and has none", async () => {
    const unit = await readFile("packages/lpctl/contrib/systemd/lpctl-boot.service", "utf8");
    const directives = unit.split("\n").filter((l) => !l.startsWith("#"));
    expect(directives).toContain("DefaultDependencies=no");
    expect(directives).toContain("After=local-fs.target");
    expect(directives.find((l) => l.startsWith("Before="))).toContain("network-pre.target");
    expect(directives).toContain("PrivateNetwork=yes");
    expect(directives).toContain("ExecStart=/usr/bin/lpctl sync --offline");
    // Nothing may pull in or wait for the network.
    expect(unit).not.toMatch(/^(After|Wants|Requires)=.*network-online/m);
    const sync = await readFile("packages/lpctl/contrib/systemd/lpctl-sync.service", "utf8");
    expect(sync).toMatch(/^After=.*lpctl-boot\.service/m);
  });
});
