/**
 * `lpctl target bump` for real: a copy of the lab target pinned to an older
 * version the archive still has is moved to the newest, its comments kept,
 * and each patch is dry-run against the new source (one that cannot apply
 * is reported and makes the command exit 1).
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { execaRunner } from "../../../src/builder/runtime/runner.js";
import { debianDeps } from "../../../src/builder/source/source.js";
import { newestDebianVersion } from "../../../src/core/debian-version.js";
import { runCli } from "../../../src/cli/run.js";
import { CACHE, REPO } from "./helpers.js";

const PKG = "linux-source-6.1";

function labRepoPinnedTo(version: string, extraPatch?: string): string {
  const dir = mkdtempSync(join(tmpdir(), "lpctl-bump-"));
  cpSync(join(REPO, "kernels"), join(dir, "kernels"), { recursive: true });
  cpSync(join(REPO, "patches"), join(dir, "patches"), { recursive: true });
  const yaml = join(dir, "kernels/debian-6.1-lab/target.yaml");
  writeFileSync(yaml, readFileSync(yaml, "utf8").replace(/version: .*/, `version: ${version}`));
  if (extraPatch) {
    mkdirSync(join(dir, "patches/stale"));
    writeFileSync(
      join(dir, "patches/stale/patch.yaml"),
      "title: A patch whose context is gone\ndescription: Its hunk matches no kernel.\nkernels: [debian-6.1-lab]\n",
    );
    writeFileSync(join(dir, "patches/stale/0001-stale.patch"), extraPatch);
  }
  return dir;
}

const stale = `--- a/fs/proc/cmdline.c
+++ b/fs/proc/cmdline.c
@@ -7,6 +7,6 @@
 static int cmdline_proc_show(struct seq_file *m, void *v)
 {
-\tthis line is not in any kernel;
+\tneither is this one;
 \tseq_putc(m, '\\n');
 \treturn 0;
 }
`;

describe("lpctl target bump", () => {
  it("moves an older pin to the newest version and reports which patches apply", async () => {
    const deps = debianDeps(execaRunner, CACHE);
    await deps.archive.update();
    const available = await deps.archive.versions(PKG);
    const newest = newestDebianVersion(available) ?? "";
    const older = newestDebianVersion(available.filter((v) => v !== newest)) ?? "";
    const repo = labRepoPinnedTo(older, stale);
    const out: string[] = [];
    const code = await runCli(
      ["target", "bump", "debian-6.1-lab", "--repo", repo, "--cache", CACHE, "--json"],
      { out: (l) => out.push(l), err: () => {} },
    );
    const r = JSON.parse(out.join("\n")) as {
      from: { version: string };
      to: { version: string; release: string };
      written: boolean;
      patches: { patch: string; applies: boolean; detail: string[] }[];
    };
    expect(r.from.version).toBe(older);
    expect(r.to.version).toBe(newest);
    expect(r.to.release).toMatch(/^6\.1\.\d+$/);
    expect(r.written).toBe(true);
    const byId = Object.fromEntries(r.patches.map((p) => [p.patch, p]));
    expect(byId["cmdline-banner"]?.applies).toBe(true);
    expect(byId["version-banner"]?.applies).toBe(true);
    expect(byId.stale?.applies).toBe(false);
    expect(byId.stale?.detail.join("\n")).toMatch(/FAILED/);
    expect(code).toBe(1);

    const yaml = readFileSync(join(repo, "kernels/debian-6.1-lab/target.yaml"), "utf8");
    expect(yaml).toContain(`version: ${newest}`);
    expect(yaml).toContain(`release: ${r.to.release}`);
    // Comments survive the rewrite.
    expect(yaml).toMatch(/^# A small livepatch-capable kernel/m);
  });
});
