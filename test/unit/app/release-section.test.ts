import { describe, expect, it } from "vitest";
import { releaseSection } from "../../../src/app/github/release-section.js";
import { sampleManifest } from "../core/verify/test-keys.js";

describe("the PR comment's release section", () => {
  it("says what hosts get, and for a withdrawn target that they unload it and why", () => {
    const m = sampleManifest();
    const [lab] = m.kernels;
    if (!lab) throw new Error("fixture has a kernel");
    const gone = {
      id: "bad-fix",
      title: "Bad",
      cves: ["CVE-2026-0002"],
      reason: "oopses",
      version: 7,
    };
    const emptied = { ...lab, target: "other", patches: [], withdrawn: [gone] };
    delete emptied.module;
    const text = releaseSection(
      { ...m, kernels: [{ ...lab, withdrawn: [gone] }, emptied] },
      "v7",
      "https://x/v7",
    );
    expect(text).toContain("| kernel | patches (CVEs) hosts get | withdrawn (why) |");
    expect(text).toContain(
      "| `lab-6.1` (`6.1.0-lab`) | `cmdline-banner` (`CVE-2026-0001`) | `bad-fix` (`CVE-2026-0002`): `oopses` (version 7) |",
    );
    expect(text).toContain(
      "| `other` (`6.1.0-lab`) | no module: hosts unload theirs | `bad-fix` (`CVE-2026-0002`): `oopses` (version 7) |",
    );
  });
});
