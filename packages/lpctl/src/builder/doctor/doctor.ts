/**
 * `lpctl doctor`: is this machine able to prepare kernels, build live
 * patches and boot-test them? Each check runs the tool the way the builder
 * will, so "present" means "works", not merely "on PATH".
 */
import type { KernelTarget } from "../../core/target.js";
import type { DebianSourceDeps } from "../source/debian-source.js";
import { targetChecks } from "./doctor-targets.js";
import { compilerIdentity } from "../kernel/toolchain.js";
import type { Runner } from "../runtime/runner.js";
import { findKpatchBuild, findOnPath, INSTALL_HINT, parseKpatchVersion } from "../runtime/tools.js";

export interface DoctorCheck {
  name: string;
  ok: boolean;
  version?: string;
  detail?: string;
  fix?: string;
}

export interface DoctorDeps {
  runner: Runner;
  env: NodeJS.ProcessEnv;
  /** PATH lookup; default findOnPath over env.PATH. */
  findTool?: (name: string) => Promise<string | undefined>;
  /** The repository's kernel targets: their sources and compiler pins are checked too. */
  targets?: readonly KernelTarget[];
  debian?: DebianSourceDeps;
}

/** Tools checked by running `<cmd> <args>` and reading the first line that matches. */
const VERSIONED: { name: string; cmd: string; args: string[] }[] = [
  { name: "gcc", cmd: "gcc", args: ["--version"] },
  { name: "make", cmd: "make", args: ["--version"] },
  { name: "bison", cmd: "bison", args: ["--version"] },
  { name: "flex", cmd: "flex", args: ["--version"] },
  { name: "bc", cmd: "bc", args: ["--version"] },
  { name: "gawk", cmd: "gawk", args: ["--version"] },
  { name: "cpio", cmd: "cpio", args: ["--version"] },
  { name: "xz", cmd: "xz", args: ["--version"] },
  { name: "readelf", cmd: "readelf", args: ["--version"] },
  { name: "pahole", cmd: "pahole", args: ["--version"] },
  { name: "modinfo", cmd: "modinfo", args: ["--version"] },
  { name: "qemu-system-x86_64", cmd: "qemu-system-x86_64", args: ["--version"] },
  { name: "gpg", cmd: "gpg", args: ["--version"] },
];

async function versionCheck(
  deps: DoctorDeps,
  name: string,
  cmd: string,
  args: string[],
): Promise<DoctorCheck> {
  try {
    const r = await deps.runner.run(cmd, args);
    const first = (r.stdout || r.stderr)
      .split("\n")
      .find((l) => l.trim() !== "")
      ?.trim();
    if (r.exitCode !== 0)
      return { name, ok: false, detail: `exit ${r.exitCode}`, fix: INSTALL_HINT };
    return { name, ok: true, ...(first ? { version: first } : {}) };
  } catch {
    return { name, ok: false, detail: "not found", fix: INSTALL_HINT };
  }
}

/** busybox must be static: the initramfs has no libraries for it. */
async function busyboxCheck(deps: DoctorDeps): Promise<DoctorCheck> {
  const path = await (deps.findTool ?? ((n) => findOnPath(n, deps.env)))("busybox");
  if (!path) return { name: "busybox (static)", ok: false, detail: "not found", fix: INSTALL_HINT };
  const r = await deps.runner.run("readelf", ["-l", path]).catch(() => undefined);
  const dynamic = r === undefined || r.exitCode !== 0 || /INTERP/.test(r.stdout);
  return dynamic
    ? {
        name: "busybox (static)",
        ok: false,
        detail: `${path} is dynamically linked`,
        fix: "install busybox-static: " + INSTALL_HINT,
      }
    : { name: "busybox (static)", ok: true, detail: path };
}

async function kpatchCheck(deps: DoctorDeps): Promise<DoctorCheck> {
  try {
    const path = await findKpatchBuild(deps.env);
    const r = await deps.runner.run(path, ["--version"]);
    const version = parseKpatchVersion(r.stdout + r.stderr);
    if (version !== undefined) return { name: "kpatch-build", ok: true, version, detail: path };
    // Found, but it does not run: a broken or partial install.
    return {
      name: "kpatch-build",
      ok: false,
      detail: `${path} --version exited ${r.exitCode} without a version`,
      fix: `reinstall it: ${INSTALL_HINT}`,
    };
  } catch (e) {
    return {
      name: "kpatch-build",
      ok: false,
      detail: e instanceof Error ? e.message : String(e),
      fix: INSTALL_HINT,
    };
  }
}

export async function runDoctor(deps: DoctorDeps): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  for (const t of VERSIONED) checks.push(await versionCheck(deps, t.name, t.cmd, t.args));
  checks.push(await busyboxCheck(deps));
  checks.push(await kpatchCheck(deps));
  const gcc = checks.find((c) => c.name === "gcc");
  if (deps.targets && deps.debian && gcc?.ok && gcc.version) {
    checks.push(
      ...(await targetChecks(deps.targets, {
        debian: deps.debian,
        compiler: gcc.version,
        compilerOf: (cc) => compilerIdentity(deps.runner, cc).catch(() => undefined),
      })),
    );
  }
  return checks;
}

/** One line per check, aligned: "ok   gcc  gcc (Debian 12.2.0-14+deb12u1) 12.2.0"; a failure ends with its fix. */
export function formatDoctor(checks: readonly DoctorCheck[]): string[] {
  const width = Math.max(...checks.map((c) => c.name.length));
  return checks.map((c) => {
    const info = [c.version, c.detail].filter(Boolean).join(" — ");
    const fix = c.ok || !c.fix ? "" : `  (${c.fix})`;
    return `${c.ok ? "ok  " : "FAIL"} ${c.name.padEnd(width)}  ${info}${fix}`;
  });
}
