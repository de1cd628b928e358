/**
 * What the target's kernel source says about a patch, gathered once by I/O
 * code (packages/lpctl/src/builder/lint/lint-source.ts) so the rules stay pure: the original text
 * of every patched file, the kernel version, the symbols left in vmlinux,
 * and where each static key the patch touches is defined and built.
 */

/** Where a static key's object ends up: built into vmlinux, a module, or not built. */
export type KeyHome = "vmlinux" | "module" | "not-built" | "unknown";

export interface StaticKeyFacts {
  /** Tree path of the file that defines the key, when found. */
  file?: string;
  home: KeyHome;
}

/** What the kpatch-build that will build the patch does (packages/lpctl/src/builder/kpatch/kpatch-traits.ts). */
export interface KpatchTraits {
  /** The kpatch-build script read. */
  path: string;
  /** It passes --klp-arch to create-diff-object for every kernel: no jump label is supported. */
  forcesKlpArch: boolean;
}

export interface SourceFacts {
  /** `VERSION.PATCHLEVEL` from the tree's Makefile. */
  version?: { major: number; minor: number };
  /** Original (unpatched) text of each patched file; absent for a file the tree lacks. */
  files: ReadonlyMap<string, string>;
  /** Function symbols of the built vmlinux (System.map); absent for an unbuilt tree. */
  vmlinuxSymbols?: ReadonlySet<string>;
  /** Static keys the patch uses by name, and static calls as `static_call:<name>` (see siteKey). */
  staticKeys: ReadonlyMap<string, StaticKeyFacts>;
  /** CONFIG_JUMP_LABEL from the target's .config; without it static_branch_*() is a plain load. */
  jumpLabels?: boolean;
  /** The kpatch-build that builds the patch; absent when none was found. */
  kpatch?: KpatchTraits;
  /** CONFIG_MODVERSIONS from the target's .config; without it no exported symbol has a CRC. */
  modversions?: boolean;
  /**
   * Patched `.c` files whose object is compiled without fentry calls, with the
   * Makefile line that says so (`CFLAGS_REMOVE_tsc.o = -pg`).
   */
  untraced?: ReadonlyMap<string, string>;
  /** How the target builds each patched `.c` file's object, when .config and Makefile tell. */
  objects?: ReadonlyMap<string, KeyHome>;
  /**
   * For each `__weak` function the patched files define: the strong
   * definition that overrides it, when the tree has one in an object the
   * target builds (home `unknown`: the tree has no .config, so anywhere).
   */
  weakOverrides?: ReadonlyMap<string, StrongDefinition>;
}

/** A non-weak definition of a function that also has a `__weak` default. */
export interface StrongDefinition {
  /** Tree path of the `.c` file that defines it. */
  file: string;
  home: KeyHome;
}

/** Kernel version from the top-level Makefile's VERSION and PATCHLEVEL lines. */
export function kernelVersion(makefile: string): SourceFacts["version"] {
  const major = /^VERSION\s*=\s*(\d+)/m.exec(makefile)?.[1];
  const minor = /^PATCHLEVEL\s*=\s*(\d+)/m.exec(makefile)?.[1];
  return major === undefined || minor === undefined
    ? undefined
    : { major: Number(major), minor: Number(minor) };
}

/** True when the tree's kernel is at least major.minor. */
export function atLeast(facts: SourceFacts | undefined, major: number, minor: number): boolean {
  const v = facts?.version;
  return v !== undefined && (v.major > major || (v.major === major && v.minor >= minor));
}

/** Symbol names from System.map text ("ffffffff81000000 T name"), without .isra/.cold suffixes. */
export function systemMapSymbols(text: string): Set<string> {
  const out = new Set<string>();
  for (const line of text.split("\n")) {
    const name = line.split(" ")[2];
    if (name !== undefined && name !== "") out.add(name.split(".")[0]);
  }
  return out;
}
