/**
 * `lpctl doctor`'s per-target checks: can this runner obtain the exact
 * source each kernel target pins, and does its compiler suit the target?
 * Each problem comes with the fix.
 */
import { isLpctlError } from "../core/errors.js";
import type { KernelTarget } from "../core/target.js";
import { resolveDebianSource, type DebianSourceDeps } from "./debian-source.js";
import type { DoctorCheck } from "./doctor.js";
import { checkToolchain, compilerPackage } from "./toolchain.js";

export interface TargetCheckDeps {
  debian: DebianSourceDeps;
  /** This runner's compiler identity (`gcc --version`'s first line). */
  compiler: string;
}

export async function targetChecks(
  targets: readonly KernelTarget[],
  deps: TargetCheckDeps,
): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  for (const t of targets) {
    checks.push(await sourceCheck(t, deps.debian));
    checks.push(toolchainCheck(t, deps.compiler));
  }
  return checks;
}

async function sourceCheck(t: KernelTarget, debian: DebianSourceDeps): Promise<DoctorCheck> {
  const name = `source ${t.id}`;
  if (!("debian" in t.source)) {
    const kind = "tarball" in t.source ? "tarball (checked by sha256 at build)" : "local path";
    return { name, ok: true, detail: kind };
  }
  const pin = t.source.debian;
  try {
    const r = await resolveDebianSource(pin, debian);
    const how = r.pinned ? "pinned" : "not pinned: newest";
    return { name, ok: true, detail: `${r.package} ${r.version} (${how}), apt can fetch it` };
  } catch (e) {
    if (!isLpctlError(e)) throw e;
    return {
      name,
      ok: false,
      detail: `${pin.package} ${pin.version ?? ""}`.trim(),
      fix: e.message,
    };
  }
}

function toolchainCheck(t: KernelTarget, compiler: string): DoctorCheck {
  const name = `toolchain ${t.id}`;
  const check = checkToolchain(t.toolchain, compiler);
  if (check.matches) return { name, ok: true, detail: compiler };
  if (t.buildId === undefined) {
    return {
      name,
      ok: true,
      detail: `lab target: built here with ${compiler} (pin says ${t.toolchain ?? "nothing"})`,
    };
  }
  const pkg = t.toolchain === undefined ? undefined : compilerPackage(t.toolchain);
  return {
    name,
    ok: false,
    detail: `needs ${t.toolchain ?? "?"}, this runner has ${compiler}`,
    fix: pkg
      ? `apt-get install ${pkg.package}=${pkg.version} (apt-cache madison ${pkg.package} shows what is available), or build on a runner with that compiler`
      : "build on a runner with that compiler",
  };
}
