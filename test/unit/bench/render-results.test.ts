import { describe, expect, it } from "vitest";
import { machineOf, renderResults, type RenderInput } from "../../../bench/lib/render-results.mjs";

const host = {
  cpus: 2,
  model: "Test CPU",
  node: "v20.0.0",
  kernel: "6.1.0-test",
  loadAverage: [1, 0.5, 0.25],
};
const now = "2026-12-01T10:00:00.000Z";
const machine = { platform: "linux", release: "6.1.0-x", arch: "x64", cpus: 2, node: "v20.1.0" };

interface Row {
  bench: string;
  figure: string;
  value: string;
  target: string;
  met: string;
  date: string;
}

/** The main table's rows (the first table in the document), as cells. */
function table(input: Partial<RenderInput>): Row[] {
  const md = renderResults({ results: {}, host, now, ...input });
  const main = md.split("\n## Machine")[0] ?? "";
  return main
    .split("\n")
    .filter((l) => l.startsWith("| ") && !l.startsWith("| Benchmark") && !l.startsWith("| ---"))
    .map((l) => {
      const [bench, figure, value, target, met, date] = l
        .slice(2, -2)
        .split(" | ")
        .map((c) => c.trim());
      return { bench, figure, value, target, met, date };
    });
}

const rowsOf = (rows: Row[], bench: string) => rows.filter((r) => r.bench === bench);
const find = (rows: Row[], figure: string) => {
  const r = rows.find((x) => x.figure === figure);
  if (!r) throw new Error(`no row "${figure}" in ${JSON.stringify(rows.map((x) => x.figure))}`);
  return r;
};

const forge = (releaseP95: number, targets?: object) => ({
  date: "2026-11-30T16:10:42.271Z",
  machine,
  loadAverage: [4.1, 4, 4.3],
  rest: {
    releaseGet: { n: 10, p50Ms: 1, p95Ms: releaseP95, maxMs: 30 },
    checkRunCreate: { n: 10, p50Ms: 4, p95Ms: 12.22, maxMs: 29 },
    assetUpload1MiB: { n: 3, p50Ms: 10, p95Ms: 40.31, maxMs: 52 },
  },
  webhookDeliveryMs: { n: 10, p50Ms: 11, p95Ms: 23.26, maxMs: 33 },
  idleRssMb: 96,
  ...(targets ? { targets } : {}),
});

describe("renderResults", () => {
  it("renders a benchmark's figures with value, target, verdict and its own date", () => {
    const rows = rowsOf(
      table({ results: { "forge.json": forge(6.42, { smallRequestP95Ms: 20, idleRssMb: 150 }) } }),
      "forge",
    );
    expect(find(rows, "get release, p95")).toEqual({
      bench: "forge",
      figure: "get release, p95",
      value: "6.42 ms",
      target: "< 20 ms",
      met: "yes",
      date: "2026-11-30 16:10 UTC",
    });
    expect(find(rows, "idle `livepatch-forge` RSS")).toMatchObject({ value: "96 MB", met: "yes" });
    expect(find(rows, "webhook delivery, p95")).toMatchObject({ target: "—", met: "—" });
  });

  it("says no when a figure misses its target, using the JSON's own target first", () => {
    const rows = rowsOf(
      table({ results: { "forge.json": forge(6.42, { smallRequestP95Ms: 5 }) } }),
      "forge",
    );
    expect(find(rows, "get release, p95")).toMatchObject({ target: "< 5 ms", met: "no" });
    // idleRssMb absent from the JSON's targets: the documented default applies.
    expect(find(rows, "idle `livepatch-forge` RSS")).toMatchObject({ target: "< 150 MB" });

    const agent = {
      date: "2026-11-30T13:16:21.085Z",
      machine,
      noChangeSync: {
        medianMs: 397.9,
        cpuMedianMs: 170,
        requests: 4,
        wireBytes: 1307,
        targetMs: 150,
      },
    };
    const a = rowsOf(table({ results: { "agent.json": agent } }), "agent");
    expect(find(a, "no-change sync, median wall")).toMatchObject({
      value: "397.9 ms",
      target: "≤ 150 ms",
      met: "no",
    });
    // No stated targets for these: issue 23's defaults apply.
    expect(find(a, "no-change sync, HTTP exchanges")).toMatchObject({
      value: "4",
      target: "≤ 1",
      met: "no",
    });
    expect(find(a, "no-change sync, bytes on the wire")).toMatchObject({
      value: "1,307 B",
      target: "≤ 1,024 B",
      met: "no",
    });
  });

  it("shows 'not run' for every benchmark without a results file", () => {
    const rows = table({ results: {} });
    const names = [
      "lint",
      "publish",
      "publish-rings",
      "agent",
      "forge",
      "app",
      "vm-test",
      "reboot",
      "distro",
      "build",
      "demo",
    ];
    expect(rows.map((r) => r.bench)).toEqual(names);
    for (const r of rows) expect(r).toMatchObject({ value: "not run", met: "—", date: "—" });
  });

  it("renders the Debian kernel figures against the targets distro.json states, and the unmeasured kpatch-build path", () => {
    const distro = {
      date: "2026-12-06T22:09:19.238Z",
      machine,
      targets: [
        "coldModuleSeconds <= 240",
        "coldWithVmTestSeconds <= 300",
        "warmModuleSeconds <= 30",
        "cacheBytes < 2000000000",
      ],
      coldModuleSeconds: 276.24,
      coldWithVmTestSeconds: 288.95,
      warmModuleSeconds: 27.1,
      cacheBytes: 1917875058,
      kpatchBuildFullBuild: { measured: false, estimate: "1-2 h on 2 cores, issue 21" },
    };
    const rows = rowsOf(table({ results: { "distro.json": distro } }), "distro");
    expect(rows.map((r) => [r.value, r.target, r.met])).toEqual([
      ["276.2 s", "≤ 240 s", "no"],
      ["288.9 s", "≤ 300 s", "yes"],
      ["27.1 s", "≤ 30 s", "yes"],
      ["1917.88 MB", "< 2000 MB", "yes"],
      ["not measured (estimate 1-2 h on 2 cores, issue 21)", "—", "—"],
    ]);
    expect(rows.map((r) => r.date)).toEqual(Array(5).fill("2026-12-06 22:09 UTC"));

    // A warm-only run (COLD_RUNS=0) dates the warm row alone; the cold rows keep their run's date.
    const warmOnly = { ...distro, warmDate: "2026-12-06T23:01:00.000Z" };
    const again = rowsOf(table({ results: { "distro.json": warmOnly } }), "distro");
    expect(again.map((r) => r.date)).toEqual([
      "2026-12-06 22:09 UTC",
      "2026-12-06 22:09 UTC",
      "2026-12-06 23:01 UTC",
      "2026-12-06 22:09 UTC",
      "2026-12-06 22:09 UTC",
    ]);
  });

  it("records a failed run with its exit code, above the figures it failed to replace", () => {
    const results = { "forge.json": forge(6.42) };
    const runs = { forge: { date: "2026-12-01T09:00:00.000Z", exitCode: 3 } };
    const rows = rowsOf(table({ results, runs }), "forge");
    expect(rows[0]).toMatchObject({
      figure: "last run",
      value: "failed (exit 3)",
      met: "no",
      date: "2026-12-01 09:00 UTC",
    });
    expect(rows[1]).toMatchObject({ figure: "get release, p95", date: "2026-11-30 16:10 UTC" });

    const never = table({ runs: { lint: { date: now, exitCode: null, signal: "SIGKILL" } } });
    expect(rowsOf(never, "lint")).toEqual([
      expect.objectContaining({ value: "failed (signal SIGKILL)" }),
    ]);
    const silent = table({ runs: { app: { date: now, exitCode: 0, error: "wrote no app.json" } } });
    expect(rowsOf(silent, "app")[0]?.value).toBe("failed (exit 0, wrote no app.json)");
  });

  it("drops a failure that a newer result has since replaced", () => {
    const runs = { forge: { date: "2026-11-29T00:00:00.000Z", exitCode: 1 } };
    const rows = rowsOf(table({ results: { "forge.json": forge(6.42) }, runs }), "forge");
    expect(rows.map((r) => r.figure)).not.toContain("last run");
  });

  it("takes the cold-path ratio from whichever build file measured it last", () => {
    const cold = {
      date: "2026-11-30T14:43:00Z",
      machine: { cpus: 2, node: "v20.20.2", load: "4-7" },
      seconds: { plainKernelBuild: 613.1 },
      coldOverOneKernelBuildCpu: 1.28,
      coldOverOneKernelBuildWall: 1.88,
      target: "coldOverOneKernelBuild <= 1.15",
    };
    const oldBuild = {
      date: "2026-11-22T00:17:14.305Z",
      machine: { cpus: 2, model: "Xeon" },
      seconds: { warmBuildMedian: 47.45, bareKpatchBuildMedian: 43.48 },
      warmBuilderOverBare: 1.09,
      warmBuilderOverBareCpu: 0.96,
      target: "warmBuilderOverBare <= 1.10",
    };
    const old = rowsOf(
      table({ results: { "build.json": oldBuild, "build-cold.json": cold } }),
      "build",
    );
    expect(find(old, "warm build / bare kpatch-build, wall")).toMatchObject({
      value: "1.09",
      target: "≤ 1.10",
      met: "yes",
    });
    expect(
      find(old, "cold prepare + build / one kernel build, CPU (build-cold.json)"),
    ).toMatchObject({
      value: "1.28",
      met: "no",
      date: "2026-11-30 14:43 UTC",
    });

    const newBuild = {
      ...oldBuild,
      date: "2026-12-01T08:00:00.000Z",
      coldOverOneKernelBuild: 1.1,
      coldOverOneKernelBuildCpu: 1.05,
      targets: ["coldOverOneKernelBuild <= 1.15", "warmBuilderOverBare <= 1.10"],
    };
    const fresh = rowsOf(
      table({ results: { "build.json": newBuild, "build-cold.json": cold } }),
      "build",
    );
    expect(find(fresh, "cold prepare + build / one kernel build, CPU")).toMatchObject({
      value: "1.05",
      met: "yes",
      date: "2026-12-01 08:00 UTC",
    });
    expect(fresh.some((r) => r.figure.includes("build-cold.json"))).toBe(false);
  });

  const demoDoc = (run: string, totalSeconds: number) => ({
    date: "2026-12-01T09:30:00.000Z",
    machine,
    run,
    totalSeconds,
    steps: [
      { name: "push patch", seconds: 1 },
      { name: "merge → release v2", seconds: 95.5 },
    ],
    pushToReleaseSeconds: 120.4,
    releaseToHostPatchedSeconds: 7.25,
  });

  it("renders the demo's key figures and holds only a cached run to the 180 s target", () => {
    const demo = demoDoc;
    const first = rowsOf(table({ results: { "demo.json": demo("first", 1500) } }), "demo");
    expect(find(first, "whole demo, first run")).toMatchObject({
      value: "1,500 s",
      target: "< 180 s (cached run)",
      met: "n/a (first run)",
    });
    expect(find(first, "push → release v1").value).toBe("120.4 s");
    expect(find(first, "release → host patched").value).toBe("7.3 s");
    expect(find(first, "merge → release v2").value).toBe("95.5 s");

    const slow = rowsOf(table({ results: { "demo.json": demo("cached", 200) } }), "demo");
    expect(find(slow, "whole demo, cached run")).toMatchObject({ value: "200 s", met: "no" });
    const quick = rowsOf(table({ results: { "demo.json": demo("cached", 150) } }), "demo");
    expect(find(quick, "whole demo, cached run").met).toBe("yes");
  });

  it("holds a hand-recorded cold demo (empty kernel cache) to issue 21's 6 minutes", () => {
    const cold = (totalSeconds: number) => demoDoc("first", totalSeconds);
    const both = rowsOf(
      table({ results: { "demo.json": demoDoc("cached", 150), "demo-cold.json": cold(420) } }),
      "demo",
    );
    expect(find(both, "whole demo, cold: empty kernel cache (demo-cold.json)")).toMatchObject({
      value: "420 s",
      target: "≤ 360 s",
      met: "no",
    });
    expect(find(both, "whole demo, cached run").met).toBe("yes");
    const alone = rowsOf(table({ results: { "demo-cold.json": cold(300) } }), "demo");
    expect(alone.map((r) => [r.figure, r.met])).toEqual([
      ["whole demo, cold: empty kernel cache (demo-cold.json)", "yes"],
    ]);
  });

  it("says which figures a results file does not hold instead of failing", () => {
    const rows = rowsOf(table({ results: { "app.json": { date: now } } }), "app");
    expect(find(rows, "PR opened → lint completed, p95")).toMatchObject({
      value: "not recorded",
      target: "≤ 2 s",
      met: "—",
    });
  });

  it("lists the rendering machine and each results file's machine", () => {
    const md = renderResults({ results: { "forge.json": forge(1) }, host, now });
    expect(md).toContain("Rendered on: 2 CPUs (Test CPU), Node v20.0.0, kernel 6.1.0-test");
    expect(md).toContain(
      "| results/forge.json | 2026-11-30 16:10 UTC | 2 | — | v20.1.0 | 6.1.0-x | 4.1, 4, 4.3 |",
    );
  });
});

describe("machineOf", () => {
  it("reads the machine under each script's field names", () => {
    const lint = {
      machine: { cpu: "AMD EPYC", cores: 2, os: "linux 6.18.44 x64", node: "v20.20.2" },
    };
    expect(machineOf(lint)).toEqual({
      cpus: 2,
      model: "AMD EPYC",
      node: "v20.20.2",
      kernel: "6.18.44",
      load: undefined,
    });
    const build = { machine: { cpus: 2, model: "Xeon", loadavgAtEnd: [3.63, 2.86, 3.19] } };
    expect(machineOf(build)).toMatchObject({ model: "Xeon", load: "3.63, 2.86, 3.19" });
    const vm = {
      machine: { cpus: 2, kernel: "6.18.44-fc", node: "v20" },
      loadAverage: [5.1, 5, 6],
    };
    expect(machineOf(vm)).toMatchObject({ kernel: "6.18.44-fc", load: "5.1, 5, 6" });
    const demo = { machine: { cpus: 2, model: "AMD EPYC", loadavg: [3.33, 4.72, 6.51] } };
    expect(machineOf(demo)).toMatchObject({ load: "3.33, 4.72, 6.51" });
  });

  const reboot = {
    date: "2026-12-07T05:47:30.071Z",
    machine,
    target: "rebootApplySeconds <= 5",
    medianApplySeconds: 4.2,
    maxApplySeconds: 6.1,
    medianNodeFloorSeconds: 0.7,
  };

  it("renders the reboot figure against the target reboot.json states", () => {
    const rows = table({ results: { "reboot.json": reboot } }).filter((r) => r.bench === "reboot");
    expect(rows.map((r) => [r.value, r.target, r.met])).toEqual([
      ["4.2 s", "≤ 5 s", "yes"],
      ["6.1 s", "≤ 5 s", "no"],
      ["0.7 s", "—", "—"],
    ]);
  });

  it("adds the boot unit's phases when reboot.json has them", () => {
    const traced = {
      ...reboot,
      medianGroupMs: {
        nodeStart: 1770,
        agentLoad: 1990,
        verifierLoad: 1607,
        loadAndTransition: 605,
        stateAndExit: 256,
        verify: 1302,
      },
    };
    const rows = table({ results: { "reboot.json": traced } }).filter((r) => r.bench === "reboot");
    expect(rows.slice(3).map((r) => [r.figure, r.value])).toEqual([
      ["… phase: exec and Node's own start (cold)", "1.77 s"],
      ["… phase: agent bundle loaded, config read", "1.99 s"],
      ["… phase: OpenPGP verifier loaded", "1.61 s"],
      ["… phase: stored copy read and verified", "1.3 s"],
      ["… phase: insmod and the transition", "605 ms"],
      ["… phase: state written, process exit", "256 ms"],
    ]);
  });
});
