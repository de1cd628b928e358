/**
 * Content-addressed kernel cache: the key covers everything that changes the
 * built kernel (source identity, config base and fragment text, compiler,
 * arch, and the recipe version), so a cache hit is the same kernel.
 */
import { createHash } from "node:crypto";
import { homedir } from "node:os";
import { join, resolve } from "node:path";

/**
 * Bump when the prepare recipe changes what ends up in the cache.
 * 2: debug prefix map, so the build-id no longer depends on the build path.
 * 3: the exact .deb (version and sha256) from the archive instead of the
 *    installed package; built with kpatch-build's compiler wrapper and flags
 *    (kpatch-build then finds the tree up to date); built in place; keyed on
 *    the compiler that builds it, not the target's pin.
 */
export const RECIPE_VERSION = 3;

export interface KernelKeyInput {
  targetId: string;
  /** Stable description of the source: package+version, tarball sha256, or path. */
  source: string;
  configBase: string;
  configText: string;
  /** Identity of the compiler that builds the tree (`gcc --version`'s first line). */
  toolchain: string;
  /** Compiler wrapper and flags that change the objects (KpatchMake.flavour). */
  flavour: string;
  arch: string;
}

export function kernelKey(input: KernelKeyInput): string {
  const fields = [
    `recipe=${RECIPE_VERSION}`,
    `source=${input.source}`,
    `base=${input.configBase}`,
    `arch=${input.arch}`,
    `toolchain=${input.toolchain}`,
    `flavour=${input.flavour}`,
    `config=${input.configText}`,
  ];
  const h = createHash("sha256");
  // Length-prefixed so that no field can run into the next one.
  for (const f of fields) h.update(`${f.length}:${f}\n`);
  return h.digest("hex");
}

/** `<targetId>-<key12>`: readable, and unique enough inside one cache. */
export function kernelDirName(targetId: string, key: string): string {
  return `${targetId}-${key.slice(0, 12)}`;
}

/**
 * --cache, else $LPCTL_CACHE_DIR, else ~/.cache/livepatch-gitops; always
 * absolute, because kpatch-build changes directory before it uses CACHEDIR.
 */
export function resolveCacheDir(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  if (flag) return resolve(flag);
  if (env.LPCTL_CACHE_DIR) return resolve(env.LPCTL_CACHE_DIR);
  return join(homedir(), ".cache", "livepatch-gitops");
}
