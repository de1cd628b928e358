import { describe, expect, it } from "vitest";
import { forcesKlpArch } from "../../../../src/builder/kpatch/kpatch-traits.js";

// The create-diff-object call as upstream kpatch-build 0.9.10 writes it, and as
// Debian's package patches it (d/patches/remove_cdo_flag_from_script_not_used.patch).
const UPSTREAM = `\t\tCDO_FLAGS+=("--klp-arch")
\t\t"$TOOLSDIR"/create-diff-object "\${CDO_FLAGS[@]}" "orig/$i" "patched/$i" "$KOBJFILE_NAME" \\
\t\t\t"$SYMTAB" "$SYMVERS_FILE" "\${MODNAME//-/_}" \\
\t\t\t"output/$i" 2>&1 | logger 1
`;
const DEBIAN = `\t\t# create-diff-object orig.o patched.o parent-name parent-symtab
\t\t"$TOOLSDIR"/create-diff-object --klp-arch "orig/$i" "patched/$i" "$KOBJFILE_NAME" \\
\t\t\t"$SYMTAB" "$SYMVERS_FILE" "\${MODNAME//-/_}" \\
\t\t\t"output/$i" 2>&1 | logger 1
`;

describe("what the kpatch-build script does with --klp-arch", () => {
  it("upstream passes it only through CDO_FLAGS (kernels older than 5.8)", () => {
    expect(forcesKlpArch(UPSTREAM)).toBe(false);
  });

  it("Debian's package passes it on every create-diff-object call", () => {
    expect(forcesKlpArch(DEBIAN)).toBe(true);
  });

  it("a comment or another command that mentions it does not count", () => {
    const commented = `# "$TOOLSDIR"/create-diff-object --klp-arch was used before\n${UPSTREAM}`;
    expect(forcesKlpArch(commented)).toBe(false);
    expect(forcesKlpArch(`echo --klp-arch\n${UPSTREAM}`)).toBe(false);
  });
});
