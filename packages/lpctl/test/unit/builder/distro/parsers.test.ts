import { describe, expect, it } from "vitest";
import { isLpctlError } from "../../../../src/core/errors.js";
import {
  bannerCompiler,
  distroConfigFacts,
  findBanner,
  parsePaholeSizes,
  specialEnv,
  specialStructs,
} from "../../../../src/builder/distro/kernel-config-checks.js";
import {
  parseModversions,
  parseSymvers,
  undefinedSymbols,
} from "../../../../src/builder/distro/module-checks.js";
import { compilerPackage } from "../../../../src/builder/kernel/toolchain.js";

const CONFIG = [
  'CONFIG_CC_VERSION_TEXT="gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0"',
  "CONFIG_LIVEPATCH=y",
  "CONFIG_MODULES=y",
  "CONFIG_KERNEL_LZ4=y",
  "CONFIG_JUMP_LABEL=y",
  "CONFIG_UNWINDER_ORC=y",
  "CONFIG_PARAVIRT=y",
  "# CONFIG_X86_KERNEL_IBT is not set",
  "",
].join("\n");

// The real /proc/version of linux-image-6.1.0-57-cloud-amd64 6.1.192-3.
const BANNER =
  "Linux version 6.1.0-57-cloud-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC Debian 6.1.192-3 (2026-11-26)";

// Excerpt of `pahole -F dwarf -C jump_entry,orc_entry` on that kernel's -dbg vmlinux.
const PAHOLE = `struct jump_entry {
\ts32                        code;                 /*     0     4 */
\tlong int                   key;                  /*     8     8 */

\t/* size: 16, cachelines: 1, members: 3 */
\t/* last cacheline: 16 bytes */
};
struct orc_entry {
\ts16                        sp_offset;            /*     0     2 */

\t/* size: 6, cachelines: 1, members: 6 */
\t/* bit_padding: 5 bits */
} __attribute__((__packed__));
`;

describe("a distribution kernel's config", () => {
  it("gives the compiler, the driver to run and the image compression", () => {
    const f = distroConfigFacts(CONFIG, "linux-headers-x");
    expect([f.compiler, f.cc, f.compression]).toEqual([
      "gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0",
      "gcc-12",
      "lz4",
    ]);
  });

  it("refuses an IBT kernel early, naming klp-build and Linux 6.19 as the way forward", () => {
    const ibt = CONFIG.replace("# CONFIG_X86_KERNEL_IBT is not set", "CONFIG_X86_KERNEL_IBT=y");
    let err: unknown;
    try {
      distroConfigFacts(ibt, "linux-headers-6.12.118+deb13-cloud-amd64 6.12.118-1");
    } catch (e) {
      err = e;
    }
    expect(isLpctlError(err, "KERNEL_UNPATCHABLE")).toBe(true);
    expect((err as Error).message).toMatch(/CONFIG_X86_KERNEL_IBT=y.*klp-build.*6\.19/);
  });

  it("refuses a kernel without livepatch support and one built by another compiler family", () => {
    expect(() => distroConfigFacts(CONFIG.replace("CONFIG_LIVEPATCH=y", ""), "h")).toThrow(
      /CONFIG_LIVEPATCH is not set: the kernel has no livepatch support/,
    );
    expect(() =>
      distroConfigFacts(CONFIG.replace(/gcc-12 \(Debian[^"]+/, "Debian clang version 19"), "h"),
    ).toThrow(/gcc only/);
  });

  it("asks for the special-section structs kpatch-build asks for, and maps their sizes", () => {
    const values = distroConfigFacts(CONFIG, "h").values;
    const wanted = specialStructs(values);
    expect(wanted).toEqual([
      "alt_instr",
      "bug_entry",
      "exception_table_entry",
      "static_call_site",
      "paravirt_patch_site",
      "jump_entry",
      "orc_entry",
    ]);
    const sizes = parsePaholeSizes(PAHOLE);
    expect([...sizes]).toEqual([
      ["jump_entry", 16],
      ["orc_entry", 6],
    ]);
    const all = new Map([
      ...sizes,
      ["alt_instr", 12],
      ["bug_entry", 12],
      ["exception_table_entry", 12],
    ]);
    expect(specialEnv(all, wanted)).toEqual({
      ALT_STRUCT_SIZE: "12",
      BUG_STRUCT_SIZE: "12",
      EX_STRUCT_SIZE: "12",
      JUMP_STRUCT_SIZE: "16",
      ORC_STRUCT_SIZE: "6",
    });
    expect(() => specialEnv(sizes, wanted)).toThrow(/no struct alt_instr/);
  });
});

describe("identity strings", () => {
  it("reads the compiler from /proc/version and finds the banner in a kernel image", () => {
    expect(bannerCompiler(BANNER)).toBe("gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0");
    const image = Buffer.concat([Buffer.from([1, 2, 0]), Buffer.from(BANNER + "\n\0tail")]);
    expect(findBanner(image)).toBe(BANNER);
    expect(findBanner(Buffer.from("no banner"))).toBeUndefined();
  });

  it("takes the banner the kernel prints, not 6.1's placeholder without a build number before it", () => {
    // Both strings, in this order, are in Debian's 6.1.0-57-cloud-amd64 vmlinuz.
    const placeholder = BANNER.replace(/ #\d+ /, " # ");
    expect(placeholder).not.toBe(BANNER);
    const image = Buffer.from(`${placeholder}\n\0 other data \0${BANNER}\n\0`);
    expect(findBanner(image)).toBe(BANNER);
  });

  it("names the Debian package of a versioned gcc driver", () => {
    expect(compilerPackage("gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0")).toEqual({
      package: "gcc-12",
      version: "12.2.0-14+deb12u1",
    });
  });
});

describe("module ABI facts", () => {
  it("reads Module.symvers, modversions and undefined symbols", () => {
    const symvers =
      "0x8ef22deb\tseq_puts\tvmlinux\tEXPORT_SYMBOL\t\n0x79b3c37e\tklp_enable_patch\tvmlinux\tEXPORT_SYMBOL_GPL\t\n";
    expect([...parseSymvers(symvers)]).toEqual([
      ["seq_puts", "0x8ef22deb"],
      ["klp_enable_patch", "0x79b3c37e"],
    ]);
    expect(parseModversions("0x79b3c37e\tklp_enable_patch\n0x8ef22deb\tseq_puts\n")).toEqual([
      { crc: "0x79b3c37e", sym: "klp_enable_patch" },
      { crc: "0x8ef22deb", sym: "seq_puts" },
    ]);
    const readelf = [
      "Symbol table '.symtab' contains 3 entries:",
      "   Num:    Value          Size Type    Bind   Vis      Ndx Name",
      "     0: 0000000000000000     0 NOTYPE  LOCAL  DEFAULT  UND ",
      "    20: 0000000000000000     0 NOTYPE  GLOBAL DEFAULT  UND seq_puts",
      "    21: 0000000000000000    45 FUNC    LOCAL  DEFAULT    4 livepatch_cmdline_proc_show",
    ].join("\n");
    expect(undefinedSymbols(readelf)).toEqual(["seq_puts"]);
  });
});
