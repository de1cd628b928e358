/**
 * The installed kpatch-build (scripts/install-build-deps.sh: Debian's
 * package) forces --klp-arch, so the source-aware lint must refuse every
 * jump label for targets it builds; the lab runs in
 * packages/lpctl/test/fixtures/kpatch-logs/lint/ show it ('Jump labels aren't supported
 * with this kernel' on Linux 6.1). If Debian drops that patch, this fails
 * and the lint's jump-label verdicts and docs must change with it.
 */
import { describe, expect, it } from "vitest";
import { readKpatchTraits } from "../../../src/builder/kpatch/kpatch-traits.js";
import { findKpatchBuild } from "../../../src/builder/runtime/tools.js";

describe("the installed kpatch-build", () => {
  it("runs create-diff-object with --klp-arch for every kernel", async () => {
    const path = await findKpatchBuild(process.env);
    expect(await readKpatchTraits(path)).toEqual({ path, forcesKlpArch: true });
  });
});
