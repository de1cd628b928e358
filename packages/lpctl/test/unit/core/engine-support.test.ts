import { describe, expect, it } from "vitest";
import {
  cannotPatchLine,
  imageTargetNote,
  refusalLabel,
  unpatchableReason,
} from "../../../src/core/engine-support.js";
import { configValues } from "../../../src/core/lint/kbuild.js";

const OK = "CONFIG_LIVEPATCH=y\nCONFIG_MODULES=y\n# CONFIG_X86_KERNEL_IBT is not set\n";

describe("what no kpatch-based engine can patch", () => {
  it("accepts a livepatch-capable config without IBT", () => {
    expect(unpatchableReason(configValues(OK))).toBeUndefined();
  });

  it("refuses IBT first, pointing at klp-build and Linux 6.19", () => {
    const no = unpatchableReason(configValues(`${OK}CONFIG_X86_KERNEL_IBT=y\n`));
    expect(no?.option).toBe("CONFIG_X86_KERNEL_IBT");
    expect(cannotPatchLine(no!)).toBe(
      "cannot be live patched by this engine: CONFIG_X86_KERNEL_IBT=y (indirect branch tracking), which kpatch refuses; " +
        "what would help: an engine built on upstream's klp-build (Linux 6.19 and later), which diffs post-link vmlinux.o",
    );
  });

  it("refuses a kernel without LIVEPATCH or MODULES, naming the option to turn on", () => {
    expect(unpatchableReason(configValues("CONFIG_MODULES=y\n"))).toMatchObject({
      option: "CONFIG_LIVEPATCH",
      help: "a kernel built with CONFIG_LIVEPATCH=y",
    });
    expect(unpatchableReason(configValues("CONFIG_LIVEPATCH=y\n"))?.option).toBe("CONFIG_MODULES");
  });

  it("labels refusals in the PR comment, and only refusals", () => {
    expect(refusalLabel("KERNEL_UNPATCHABLE")).toBe("cannot be live patched by this engine");
    expect(refusalLabel("PATCH_OBJECT_UNSUPPORTED")).toBe("patch cannot apply to this target");
    expect(refusalLabel("KPATCH_BUILD_FAILED")).toBeUndefined();
  });

  it("says from target.yaml alone what is known of a Debian kernel, and nothing for one built here", () => {
    expect(
      imageTargetNote({
        image: {
          debian: {
            package: "linux-image-6.12.118+deb12-cloud-amd64",
            version: "6.12.118-1~deb12u1",
          },
        },
      }),
    ).toBe(
      "Debian binary kernel linux-image-6.12.118+deb12-cloud-amd64 6.12.118-1~deb12u1: not checked yet, its config is not at hand here; " +
        "the build checks it first and refuses within seconds if this engine cannot patch it",
    );
    expect(imageTargetNote({})).toBeUndefined();
  });
});
