/**
 * The .deb as a host gets it: built by scripts/build-deb.sh (lintian must
 * find no error), installed with dpkg -i on this machine, its units checked
 * by systemd-analyze verify, the timer enabled only once keys are
 * configured, then removed and purged. Needs root (dpkg); cleans up after
 * itself and refuses to run over an lpctl-agent or /etc/lpctl already there.
 */
import { execa } from "execa";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeSigner } from "../../unit/agent/helpers/scenario.js";

const WANTS = "/etc/systemd/system/timers.target.wants/lpctl-sync.timer";
const BOOT_WANTS = "/etc/systemd/system/sysinit.target.wants/lpctl-boot.service";
const UNITS = [
  "/lib/systemd/system/lpctl-sync.service",
  "/lib/systemd/system/lpctl-sync.timer",
  "/lib/systemd/system/lpctl-boot.service",
];
let deb = "";
let lint = "";
let version = "";

async function installed(): Promise<boolean> {
  const r = await execa("dpkg-query", ["-W", "-f=${Status}", "lpctl-agent"], { reject: false });
  return r.stdout.includes("install ok installed");
}

beforeAll(async () => {
  if (process.getuid?.() !== 0) throw new Error("the .deb test installs with dpkg: run it as root");
  if ((await installed()) || existsSync("/etc/lpctl") || existsSync("/var/lib/lpctl")) {
    throw new Error("lpctl-agent, /etc/lpctl or /var/lib/lpctl is already here: not touching it");
  }
  version = (JSON.parse(await readFile("package.json", "utf8")) as { version: string }).version;
  const out = await mkdtemp(path.join(os.tmpdir(), "lpctl-deb-"));
  const r = await execa("bash", ["scripts/build-deb.sh", out], { all: true });
  lint = r.all;
  deb = path.join(out, `lpctl-agent_${version}_all.deb`);
});

afterAll(async () => {
  if (await installed()) await execa("dpkg", ["--purge", "lpctl-agent"], { reject: false });
  await rm("/etc/lpctl", { recursive: true, force: true });
  await rm("/var/lib/lpctl", { recursive: true, force: true });
});

describe("lpctl-agent .deb", () => {
  it("is named lpctl-agent_<version>_all.deb, lintian-clean, with the fields hosts rely on", async () => {
    expect(lint).not.toMatch(/^E: /m);
    const fields = await execa("dpkg-deb", [
      "-f",
      deb,
      "Package",
      "Version",
      "Architecture",
      "Depends",
    ]);
    expect(fields.stdout.split("\n")).toEqual([
      "Package: lpctl-agent",
      `Version: ${version}`,
      "Architecture: all",
      "Depends: nodejs (>= 18), kmod",
    ]);
    const files = (await execa("dpkg-deb", ["-c", deb])).stdout;
    for (const f of [
      "./usr/lib/lpctl-agent/lpctl-agent.cjs",
      "./usr/bin/lpctl -> ../lib/lpctl-agent/lpctl-agent.cjs",
      ...UNITS.map((u) => `.${u}`),
      "./etc/lpctl/config.yaml",
      "./usr/share/doc/lpctl-agent/copyright",
      "./usr/share/man/man1/lpctl.1.gz",
    ]) {
      expect(files).toContain(f);
    }
  });

  it("dpkg -i: units verify, lpctl runs, status --json without a config is a JSON error; timer stays off", async () => {
    const r = await execa("dpkg", ["-i", deb], { all: true });
    expect(r.all).toMatch(/set source, repository and keys in \/etc\/lpctl\/config\.yaml/);
    expect(existsSync(WANTS)).toBe(false);
    expect(existsSync(BOOT_WANTS)).toBe(false);
    const verify = await execa("systemd-analyze", ["verify", ...UNITS], {
      reject: false,
      all: true,
      env: { SYSTEMD_LOG_LEVEL: "warning" },
    });
    expect(verify.all).toBe("");
    expect(verify.exitCode).toBe(0);
    expect((await execa("lpctl", ["--version"])).stdout).toBe(version);
    const status = await execa("lpctl", ["status", "--json"], { reject: false });
    expect(status.exitCode).toBe(1);
    const doc = JSON.parse(status.stdout) as { error: { code: string; message: string } };
    expect(doc.error.code).toBe("CONFIG_INVALID");
    expect(doc.error.message).toMatch(/config\.yaml: source: /);
  });

  it("with keys configured, reconfiguring enables the timer; check-config names the key", async () => {
    const { publicKey } = await makeSigner("deb test");
    await writeFile("/etc/lpctl/keys/release.asc", publicKey);
    const config = await readFile("/etc/lpctl/config.yaml", "utf8");
    await writeFile(
      "/etc/lpctl/config.yaml",
      `${config}\nsource: file:///srv/livepatches/\nrepository: example/livepatches\nkeys: [/etc/lpctl/keys/release.asc]\n`,
    );
    const check = await execa("lpctl", ["check-config", "--json"]);
    expect(JSON.parse(check.stdout)).toMatchObject({
      repository: "example/livepatches",
      keys: [{ file: "/etc/lpctl/keys/release.asc", fingerprints: [expect.any(String)] }],
    });
    const r = await execa("dpkg", ["-i", deb], { all: true });
    expect(r.all).toMatch(
      /keys configured in \/etc\/lpctl\/config\.yaml: lpctl-sync\.timer and lpctl-boot\.service enabled/,
    );
    expect(existsSync(WANTS)).toBe(true);
    expect(existsSync(BOOT_WANTS)).toBe(true);
  });

  it("dpkg -r keeps the configuration; dpkg --purge removes it, the state and the timer link", async () => {
    await execa("dpkg", ["-r", "lpctl-agent"]);
    expect(existsSync("/usr/bin/lpctl")).toBe(false);
    expect(existsSync("/etc/lpctl/config.yaml")).toBe(true);
    await execa("dpkg", ["--purge", "lpctl-agent"]);
    expect(await installed()).toBe(false);
    expect(existsSync("/etc/lpctl/config.yaml")).toBe(false);
    expect(existsSync(WANTS)).toBe(false);
    expect(existsSync(BOOT_WANTS)).toBe(false);
  });
});
