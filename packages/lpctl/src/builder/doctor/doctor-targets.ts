/**
 * `lpctl doctor`'s per-target checks: can this runner obtain the exact
 * source each kernel target pins, and does its compiler suit the target?
 * Each problem comes with the fix.
 */
import { distroPackages } from "../../core/distro-target.js";
import { isLpctlError } from "../../core/errors.js";
import { resolveDistroDebs } from "../distro/distro-debs.js";
import type { KernelTarget } from "../../core/target.js";
import { resolveDebianSource, type DebianSourceDeps } from "../source/debian-source.js";
import type { DoctorCheck } from "./doctor.js";
import { checkToolchain, compilerPackage } from "../kernel/toolchain.js";

export interface TargetCheckDeps {
  debian: DebianSourceDeps;
  /** This runner's compiler identity (`gcc --version`'s first line). */
  compiler: string;
  /** The identity of another compiler driver (`gcc-12`), undefined when it is not installed. */
  compilerOf?: (cc: string) => Promise<string | undefined>;
}

export async function targetChecks(
  targets: readonly KernelTarget[],
  deps: TargetCheckDeps,
): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  for (const t of targets) {
    checks.push(await sourceCheck(t, deps.debian));
    // A distribution kernel is built with the driver its config names (gcc-12), not `gcc`.
    const cc = t.image !== undefined ? t.toolchain?.split(" ")[0] : undefined;
    const compiler =
      cc === undefined ? deps.compiler : ((await deps.compilerOf?.(cc)) ?? `no ${cc} installed`);
    checks.push(toolchainCheck(t, compiler));
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
    if (t.image !== undefined) {
      // All four packages of the build: a dropped -dbg is as fatal as a dropped source.
      const debs = await resolveDistroDebs(distroPackages(t.image, pin.package), debian);
      const names = Object.values(debs).map((d) => d.package);
      return {
        name,
        ok: true,
        detail: `${names.join(", ")} ${t.image.debian.version} (pinned), apt can fetch them`,
      };
    }
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
