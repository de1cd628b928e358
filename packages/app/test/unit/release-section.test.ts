/** The PR comment's records table and release section: records with the reboot action, cells that cannot break the table. */
import { describe, expect, it } from "vitest";
import { recordsText } from "../../src/comment.js";
import { releaseSection } from "../../src/release-section.js";
import { nextManifest } from "@livepatch-gitops/lpctl/core/manifest-build";
import { PATCHES, fakeReport } from "@livepatch-gitops/test-support/report-fixture";
import { sampleManifest } from "@livepatch-gitops/test-support/test-keys";

const rec = { cve: "CVE-2024-1234", reason: "a|b `layout`", fixedIn: "6.1.119-1" };

describe("records in the PR comment", () => {
  it("lists each record with its patch, kernels and action, and nothing without records", () => {
    expect(recordsText([])).toBe("");
    const text = recordsText([{ patch: "p", targets: ["t1", "t2"], record: rec }]);
    expect(text).toContain("| CVE | patch | kernels | action |");
    // A `|` in the reason is escaped, so the row keeps its four cells.
    expect(text).toContain(
      "| `CVE-2024-1234` | `p` | `t1`, `t2` | ``reboot into ≥ 6.1.119-1 (not live patchable: a\\|b `layout`)`` |",
    );
  });

  it("the release section names each kernel's records after its patches", () => {
    const manifest = nextManifest({
      patches: PATCHES,
      repository: "o/r",
      now: new Date("2026-11-21T12:00:00Z"),
      reports: [fakeReport("a", ["p1"]), fakeReport("b", ["p2"])],
      records: { a: [rec] },
    });
    const section = releaseSection(manifest, "v1", "https://example/v1");
    expect(section).toContain("| `a` (`6.1.0-a`) | `p1` (`CVE-2026-0001`) | — |");
    expect(section).toContain("| `a` | `CVE-2024-1234` | ");
    expect(section).not.toContain("| `b` | `CVE");
    const none = releaseSection({ ...manifest, kernels: [] }, "v1", "u");
    expect(none).not.toContain("Not live patchable");
  });
});

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
