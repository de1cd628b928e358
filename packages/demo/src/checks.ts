/** The demo's checks: each step asserts what it shows; a failed one ends the demo. */
import { LpctlError } from "@livepatch-gitops/lpctl/core/errors";
import type { HostKernel, HostSync } from "./host.js";
import type { StepHandle } from "./timeline.js";

export function check(ok: boolean, what: string): void {
  if (!ok) throw new LpctlError("DEMO_FAILED", what);
}

/** The host's sync, status and observed files, under the step. */
export function showSync(h: StepHandle, s: HostSync): void {
  for (const l of s.sync.trim().split("\n")) h.note(`host$ lpctl sync   ${l}`);
  for (const l of s.status.trim().split("\n")) h.note(`host$ lpctl status ${l}`);
  for (const l of s.observed.trim().split("\n")) h.note(`host$ cat ${l}`);
  for (const l of s.livepatch.trim().split("\n")) h.note(`host$ /sys/kernel/livepatch: ${l}`);
}

export function checkSynced(s: HostSync, version: string, cves: string[]): void {
  check(s.exitCode === 0, `lpctl sync in the VM exited ${String(s.exitCode)}:\n${s.sync}`);
  const st = s.statusJson as { patchState?: string; cves?: string[] };
  check(
    st.patchState === "applied",
    `${version}: status says ${st.patchState ?? "?"}:\n${s.status}`,
  );
  check(
    JSON.stringify(st.cves ?? []) === JSON.stringify(cves),
    `${version}: status lists CVEs ${JSON.stringify(st.cves)}, expected ${JSON.stringify(cves)}`,
  );
  // One live patch, enabled, its transition finished: the kernel runs the new code.
  check(
    /^\S+ enabled=1 transition=0$/.test(s.livepatch.trim()),
    `${version}: /sys/kernel/livepatch is not one enabled, settled patch:\n${s.livepatch}`,
  );
}

/**
 * The host runs Debian's kernel itself: its `uname -r` is the target's
 * release and its /proc/version is the banner inside Debian's vmlinuz
 * (Debian's compiler and build version), read before any patch changed it.
 */
export function checkHostKernel(k: HostKernel, want: { release: string; banner: string }): void {
  check(k.release === want.release, `the host runs ${k.release}, not ${want.release}`);
  check(
    k.version === want.banner,
    `the host's /proc/version is not Debian's:\n  host:   ${k.version}\n  Debian: ${want.banner}`,
  );
}
