/**
 * vm-test for real: the lab kernel from the builder's cache booted in qemu
 * with the cumulative module `lpctl build`'s code makes from patches/ (both
 * banner patches and their `test:` sections), then the failures vm-test
 * must name: a module that is not ELF, a check whose text never shows, a
 * guest that hangs, a kernel panic.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { buildModule } from "../../src/builder/build/build.js";
import { systemClock } from "../../src/io/clock.js";
import { execaRunner } from "../../src/builder/runtime/runner.js";
import { bootWithInit } from "../../src/builder/vm/boot.js";
import { pristineBzImage } from "../../src/builder/vm/vm-test-inputs.js";
import { evaluateVmTest, vmTestError } from "../../src/builder/vm/vm-test-report.js";
import { vmTest, type VmTestReport } from "../../src/builder/vm/vm-test.js";
import { runCli } from "../../src/cli/run.js";

const REPO = fileURLToPath(new URL("../../../../", import.meta.url));
// The cache the builder's integration tests use, so the kernel is built once.
const CACHE = process.env.LPCTL_CACHE_DIR ?? join(REPO, ".cache/lpctl");
const TARGET = "debian-6.1-lab";
const log = (l: string) => process.stderr.write(`[vm-test e2e] ${l}\n`);

let work: string;
let modulePath: string;
let bzImage: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "lpctl-vmtest-"));
  // Inputs come from the builder itself; if it cannot produce them the suite
  // fails here with the builder's error instead of skipping.
  const built = await buildModule({
    runner: execaRunner,
    clock: systemClock,
    print: log,
    env: process.env,
    repoDir: REPO,
    cacheDir: CACHE,
    targetId: TARGET,
    outDir: join(work, "out"),
    jobs: 2,
  });
  if (built.modulePath === undefined)
    throw new Error(`the builder produced no module: ${JSON.stringify(built.report)}`);
  modulePath = built.modulePath;
  bzImage = await pristineBzImage(TARGET, {
    runner: execaRunner,
    clock: systemClock,
    print: log,
    cacheDir: CACHE,
    repoDir: REPO,
  });
});

describe("lpctl vm-test on the lab kernel", () => {
  it("applies, checks, reverts and unloads the cumulative module (CLI, checks from patches/)", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const t0 = Date.now();
    const code = await runCli(
      [
        "vm-test",
        "--target",
        TARGET,
        "--module",
        modulePath,
        "--repo",
        REPO,
        "--cache",
        CACHE,
        "--json",
      ],
      { out: (l) => out.push(l), err: (l) => err.push(l) },
    );
    log(`vm-test wall time ${Date.now() - t0} ms`);
    expect(code, err.join("\n")).toBe(0);
    const report = JSON.parse(out.join("\n")) as VmTestReport;
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.expect).sort()).toEqual(["(livepatched)", "livepatched"]);
    expect(report.steps.map((s) => `${s.name}:${s.status}`)).toEqual([
      "boot:ok",
      "before-check:ok",
      "insmod:ok",
      "transition:ok",
      "enabled:ok",
      "test:ok",
      "disable:ok",
      "rmmod:ok",
      "after-unload:ok",
      "poweroff:ok",
    ]);
    // Human progress went to stderr with elapsed times.
    expect(err.join("\n")).toMatch(/\d+\.\ds\s+ok\s+transition/);
  });

  it("fails at insmod for a module that is not ELF", async () => {
    const bad = join(work, "not-elf.ko");
    await writeFile(bad, "this is not a kernel module\n");
    const r = await vmTest({
      bzImage,
      module: bad,
      test: { command: "cat /proc/cmdline", expect: "livepatched" },
    });
    expect(r.failedStep).toBe("insmod");
    const e = vmTestError(r.steps, r.consoleTail);
    expect(e?.code).toBe("VM_TEST_FAILED");
    expect(e?.message).toMatch(/step "insmod": insmod: can't insert .*invalid module format/);
    expect(e?.message).toContain("Invalid ELF header");
  });

  it("fails at test when the patched output lacks the expected text, and still reverts", async () => {
    const r = await vmTest({
      bzImage,
      module: modulePath,
      test: { command: "cat /proc/cmdline", expect: "no-such-text" },
    });
    expect(r.failedStep).toBe("test");
    expect(r.steps.find((s) => s.name === "rmmod")?.status).toBe("ok");
  });

  it("reports a hung guest as a timeout and kills qemu on time", async () => {
    const t0 = Date.now();
    const r = await bootWithInit({
      bzImage,
      init: 'lp_step hang ok "never ends"\nsleep 100000',
      timeoutMs: 45_000,
    });
    expect(r.outcome).toBe("timeout");
    expect(r.markers.steps.map((s) => s.name)).toEqual(["boot", "hang"]);
    expect(Date.now() - t0).toBeLessThan(45_000 + 15_000);
    // What vm-test makes of such a run: VM_TEST_FAILED naming the step the guest never reached.
    const steps = evaluateVmTest({ ...r, timeoutMs: 45_000 }, [{ command: "true", expect: "x" }]);
    const e = vmTestError(steps, r.consoleTail);
    expect(e?.code).toBe("VM_TEST_FAILED");
    expect(e?.message).toMatch(
      /step "before-check": the VM hung: no progress before the 45 s timeout/,
    );
    expect(e?.message).toContain("@@LP step hang ok never ends");
  });

  it("reports a kernel panic", async () => {
    const r = await bootWithInit({ bzImage, init: "exit 7", timeoutMs: 90_000 });
    expect(r.outcome).toBe("panic");
    expect(r.consoleTail).toContain("Kernel panic - not syncing: Attempted to kill init!");
  });
});
