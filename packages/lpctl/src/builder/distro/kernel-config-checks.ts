/**
 * What a distribution kernel's own .config says about whether this engine
 * can patch it, checked before anything large is downloaded. Pure.
 */
import { configValues } from "../../core/lint/kbuild.js";
import { cannotPatchLine, unpatchableReason } from "../../core/engine-support.js";
import { LpctlError } from "../../core/errors.js";

export interface DistroConfigFacts {
  /** CONFIG_CC_VERSION_TEXT: the compiler Debian built the kernel with. */
  compiler: string;
  /** The compiler driver to run (`gcc-12`): the first word of that text. */
  cc: string;
  /** The kernel image's compression (CONFIG_KERNEL_LZ4 → "lz4"). */
  compression: string | undefined;
  values: ReadonlyMap<string, string>;
}

const unquote = (v: string | undefined): string | undefined =>
  v === undefined ? undefined : v.replace(/^"(.*)"$/, "$1");

/** Facts from a .config's text; refuses configs no kpatch-based engine can patch. */
export function distroConfigFacts(configText: string, where: string): DistroConfigFacts {
  const values = configValues(configText);
  const no = unpatchableReason(values);
  if (no !== undefined) {
    throw new LpctlError("KERNEL_UNPATCHABLE", `${where}: ${cannotPatchLine(no)}`, {
      details: { option: no.option, why: no.why, help: no.help },
    });
  }
  const compiler = unquote(values.get("CONFIG_CC_VERSION_TEXT")) ?? "";
  const cc = compiler.split(" ")[0] ?? "";
  if (!/^gcc(-\d+)?$/.test(cc)) {
    throw new LpctlError(
      "TOOLCHAIN_MISMATCH",
      `${where} names compiler '${compiler}'; this engine builds with the kernel's gcc only`,
    );
  }
  const compression = ["GZIP", "XZ", "LZ4", "ZSTD"].find(
    (c) => values.get(`CONFIG_KERNEL_${c}`) === "y",
  );
  return { compiler, cc, compression: compression?.toLowerCase(), values };
}

/** The compiler named in a kernel's banner (`/proc/version`): `(gcc-12 (Debian …) 12.2.0, GNU ld …)`. */
export function bannerCompiler(banner: string): string | undefined {
  const m = /^Linux version \S+ \([^)]*\) \((.+?), GNU ld /.exec(banner);
  return m?.[1];
}

/**
 * The `Linux version …` banner inside a decompressed kernel image: the one
 * the kernel prints. Since 6.1 an image holds two: init/version.c's weak
 * placeholder, `… #` with no build number, and init/version-timestamp.c's
 * real `linux_banner` (`… #1 SMP …`), linked in last, which wins.
 */
export function findBanner(bytes: Buffer): string | undefined {
  const found: string[] = [];
  for (let start = bytes.indexOf("Linux version "); start >= 0;) {
    const end = bytes.indexOf(0x0a, start);
    const nul = bytes.indexOf(0, start);
    const stop = [end, nul].filter((i) => i > start).reduce((a, b) => Math.min(a, b), start + 400);
    found.push(bytes.subarray(start, stop).toString("latin1"));
    start = bytes.indexOf("Linux version ", stop);
  }
  return found.find((b) => /\) #\d/.test(b)) ?? found[0];
}

/** `size: N` of each struct in `pahole -C a,b,c` output. */
export function parsePaholeSizes(out: string): Map<string, number> {
  const sizes = new Map<string, number>();
  let current: string | undefined;
  for (const line of out.split("\n")) {
    const open = /^struct (\w+) \{/.exec(line);
    if (open?.[1]) current = open[1];
    const size = /\/\* size: (\d+),/.exec(line);
    if (size?.[1] && current !== undefined) {
      sizes.set(current, Number(size[1]));
      current = undefined;
    }
  }
  return sizes;
}

/** kpatch's special sections: the struct whose size create-diff-object needs, and its variable. */
const SPECIAL_STRUCTS: readonly { struct: string; env: string; when?: string }[] = [
  { struct: "alt_instr", env: "ALT_STRUCT_SIZE" },
  { struct: "bug_entry", env: "BUG_STRUCT_SIZE" },
  { struct: "exception_table_entry", env: "EX_STRUCT_SIZE" },
  { struct: "static_call_site", env: "STATIC_CALL_STRUCT_SIZE" },
  { struct: "paravirt_patch_site", env: "PARA_STRUCT_SIZE", when: "CONFIG_PARAVIRT" },
  { struct: "jump_entry", env: "JUMP_STRUCT_SIZE", when: "CONFIG_JUMP_LABEL" },
  { struct: "orc_entry", env: "ORC_STRUCT_SIZE", when: "CONFIG_UNWINDER_ORC" },
  { struct: "pi_entry", env: "PRINTK_INDEX_STRUCT_SIZE", when: "CONFIG_PRINTK_INDEX" },
];

/** The structs to size for this config (kpatch-build's find_special_section_data, x86_64). */
export function specialStructs(values: ReadonlyMap<string, string>): string[] {
  return SPECIAL_STRUCTS.filter((s) => s.when === undefined || values.get(s.when) === "y").map(
    (s) => s.struct,
  );
}

/**
 * create-diff-object's environment from the sizes found. static_call_site
 * and paravirt_patch_site are absent from some kernels (before 5.10, from
 * 6.8 on): kpatch-build skips them there too.
 */
export function specialEnv(
  sizes: ReadonlyMap<string, number>,
  wanted: readonly string[],
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const s of SPECIAL_STRUCTS) {
    if (!wanted.includes(s.struct)) continue;
    const size = sizes.get(s.struct);
    if (size === undefined) {
      if (s.struct === "static_call_site" || s.struct === "paravirt_patch_site") continue;
      throw new LpctlError(
        "KERNEL_BUILD_FAILED",
        `the kernel's vmlinux DWARF has no struct ${s.struct}: create-diff-object needs its size`,
      );
    }
    env[s.env] = String(size);
  }
  return env;
}
