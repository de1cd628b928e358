/** The kernel version a source tree's top-level Makefile declares. */

/** `6.1.192` from VERSION/PATCHLEVEL/SUBLEVEL/EXTRAVERSION, or undefined if absent. */
export function kernelVersionFromMakefile(text: string): string | undefined {
  const field = (name: string): string | undefined =>
    new RegExp(`^${name}\\s*=\\s*(\\S*)\\s*$`, "m").exec(text)?.[1];
  const version = field("VERSION");
  const patchlevel = field("PATCHLEVEL");
  if (!version || !patchlevel) return undefined;
  const sublevel = field("SUBLEVEL");
  const extra = field("EXTRAVERSION") ?? "";
  return `${version}.${patchlevel}${sublevel ? `.${sublevel}` : ""}${extra}`;
}

/**
 * The release a target moves to when its source moves from one kernel
 * version to another: the new version with the target's own suffix
 * (`6.1.192-lab` → `6.1.200-lab`).
 */
export function bumpRelease(release: string, newVersion: string): string {
  const m = /^\d+\.\d+(?:\.\d+)?/.exec(release);
  return m ? newVersion + release.slice(m[0].length) : newVersion;
}
