/**
 * A target this engine cannot patch, end to end with Debian's real
 * packages: the 6.12 cloud kernel (CONFIG_X86_KERNEL_IBT=y; a test-only
 * target in packages/lpctl/test/fixtures/kernels-ibt). `lpctl build` refuses it within
 * seconds, coded, having downloaded only the headers package and left
 * nothing in the cache's kernels/; its failure report says why; `lpctl plan`
 * and the PR comment's builds table say the same from the same rule.
 */
import { execa } from "execa";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildsSection } from "../../src/github/build-results.js";
import { BuildReportSchema } from "@livepatch-gitops/lpctl/core/build-report";
import { runCli } from "@livepatch-gitops/lpctl/cli/run";

const REPO = fileURLToPath(new URL("../../../../", import.meta.url));
const TARGET = "debian-12-cloud-6.12-amd64";
const HEADERS = "linux-headers-6.12.118+deb12-cloud-amd64_6.12.118-1~deb12u1.deb";
const WHY =
  /cannot be live patched by this engine: CONFIG_X86_KERNEL_IBT=y.*what would help: an engine built on upstream's klp-build \(Linux 6\.19 and later\)/;

let repo: string;
let cache: string;
let head: string;

async function lpctl(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

beforeAll(async () => {
  repo = mkdtempSync(join(tmpdir(), "lpctl-ibt-repo-"));
  // A scratch cache: the test counts what was downloaded into it.
  cache = mkdtempSync(join(tmpdir(), "lpctl-ibt-cache-"));
  cpSync(
    join(REPO, "packages/lpctl/test/fixtures/kernels-ibt", TARGET),
    join(repo, "kernels", TARGET),
    {
      recursive: true,
    },
  );
  mkdirSync(join(repo, "patches", "version-banner"), { recursive: true });
  cpSync(join(REPO, "patches", "version-banner"), join(repo, "patches", "version-banner"), {
    recursive: true,
  });
  const env = {
    GIT_AUTHOR_NAME: "t",
    GIT_AUTHOR_EMAIL: "t@example.invalid",
    GIT_COMMITTER_NAME: "t",
    GIT_COMMITTER_EMAIL: "t@example.invalid",
  };
  await execa("git", ["-C", repo, "init", "-q"]);
  await execa("git", ["-C", repo, "add", "-A"]);
  await execa("git", ["-C", repo, "commit", "-q", "-m", "ibt target"], { env });
  head = (await execa("git", ["-C", repo, "rev-parse", "HEAD"])).stdout.trim();
});
afterAll(() => {
  rmSync(repo, { recursive: true, force: true });
  rmSync(cache, { recursive: true, force: true });
});

describe("a Debian kernel this engine cannot patch (IBT)", () => {
  it("lpctl plan before any build: not checked yet, and says the build decides in seconds", async () => {
    const r = await lpctl("plan", "--repo", repo, "--head", head, "--cache", cache);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      new RegExp(
        `${TARGET}: full build\\n  Debian binary kernel linux-image-6\\.12\\.118\\+deb12-cloud-amd64 .*not checked yet.*refuses within seconds`,
      ),
    );
  });

  it("lpctl build refuses it early, coded, with a failure report and nothing half-written", async () => {
    const out = join(repo, "out");
    const started = Date.now();
    const r = await lpctl(
      "build",
      "--repo",
      repo,
      "--target",
      TARGET,
      "--cache",
      cache,
      "--out",
      out,
    );
    const secs = (Date.now() - started) / 1000;
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/KERNEL_UNPATCHABLE/);
    expect(r.err).toMatch(WHY);
    // Before the long work: only the headers package (3 MB) was downloaded, not
    // the image, the 300 MB -dbg or the source; nothing unpacked or configured.
    expect(secs).toBeLessThan(90);
    expect(readdirSync(join(cache, "debian")).filter((f) => f.endsWith(".deb"))).toEqual([HEADERS]);
    expect(readdirSync(join(cache, "kernels")).filter((f) => !f.endsWith(".lock"))).toEqual([]);
    expect(existsSync(join(out, "build-report.json"))).toBe(true);
    const report = BuildReportSchema.parse(
      JSON.parse(readFileSync(join(out, "build-report.json"), "utf8")),
    );
    expect(report).toMatchObject({
      target: TARGET,
      result: "failure",
      error: { code: "KERNEL_UNPATCHABLE" },
    });
    expect(report.error?.message).toMatch(WHY);
    expect(report.module).toBeUndefined();
    expect(readdirSync(out).filter((f) => f.endsWith(".ko"))).toEqual([]);

    // The PR comment's builds table, from that very report.
    const section = buildsSection([{ target: TARGET, report }], {
      id: 7,
      attempt: 1,
      headSha: head,
      htmlUrl: "https://github.example/runs/7",
      conclusion: "failure",
    });
    expect(section).toMatch(
      new RegExp(`\\| \`${TARGET}\` \\| cannot be live patched by this engine \\| `),
    );
    expect(section).toMatch(/klp-build \(Linux 6\.19 and later\)/);
  }, 300_000);

  it("lpctl plan once the cache holds Debian's config: cannot be live patched, and why", async () => {
    const r = await lpctl("plan", "--repo", repo, "--head", head, "--cache", cache);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`${TARGET}: full build\\n  `));
    expect(r.out).toMatch(WHY);
    const json = await lpctl("plan", "--repo", repo, "--head", head, "--cache", cache, "--json");
    const plan = JSON.parse(json.out) as {
      targets: string[];
      verdicts: Record<string, { patchable: boolean; line: string }>;
    };
    // Still one build per target: its check fails within seconds with the same reason.
    expect(plan.targets).toEqual([TARGET]);
    expect(plan.verdicts[TARGET]?.patchable).toBe(false);
    expect(plan.verdicts[TARGET]?.line).toMatch(WHY);
  });
});
