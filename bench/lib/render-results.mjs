// bench/RESULTS.md from the results JSONs: one table of every benchmark's
// figures against its targets, each row dated by the JSON it came from so a
// stale row shows, then the machines. Pure: documents in, markdown out.
import { BENCHMARKS } from "./benchmarks.mjs";
import { FIGURES } from "./figures.mjs";

const cell = (text) => String(text).replaceAll("|", "\\|").replaceAll("\n", " ");
const line = (cells) => `| ${cells.map(cell).join(" | ")} |`;

/** "2026-11-30T13:16:21.085Z" → "2026-11-30 13:16 UTC"; anything else as given. */
export function shortDate(iso) {
  if (typeof iso !== "string") return "—";
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return `${new Date(t).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** How a failed run reads in the table, or undefined when the run succeeded. */
export function failure(run) {
  if (!run) return undefined;
  if (run.signal) return `failed (signal ${run.signal})`;
  if (run.exitCode !== 0) return `failed (exit ${run.exitCode})`;
  if (run.error) return `failed (exit 0, ${run.error})`;
  return undefined;
}

function benchmarkRows(bench, results, run) {
  const rows = FIGURES[bench.name](results);
  const failed = failure(run);
  // A failure older than every result it would have replaced was since
  // fixed by a run outside run-all; only a newer one hides nothing.
  const newest = rows.map((r) => Date.parse(r.date)).filter((t) => !Number.isNaN(t));
  const stale = newest.length > 0 && Date.parse(run?.date) < Math.max(...newest);
  const head =
    failed && !stale
      ? [{ figure: "last run", value: failed, target: "—", met: "no", date: run.date }]
      : [];
  if (head.length === 0 && rows.length === 0) {
    return [{ figure: "—", value: "not run", target: "—", met: "—", date: undefined }];
  }
  return [...head, ...rows];
}

/** The machine fields every results JSON records, under whichever names its script used. */
export function machineOf(doc) {
  const m = doc?.machine ?? {};
  const os = typeof m.os === "string" ? m.os.split(" ") : [];
  // loadavg: the demo's record (packages/demo/src/main.ts), taken when the run ends.
  const load = doc?.loadAverage ?? m.loadavgAtEnd ?? m.loadavg ?? m.loadAverage ?? m.load;
  return {
    cpus: m.cpus ?? m.cores,
    model: m.model ?? m.cpu,
    node: m.node,
    kernel: m.kernel ?? m.release ?? os[1],
    load: Array.isArray(load) ? load.join(", ") : load,
  };
}

function machineSection(results, host) {
  const out = [
    "## Machine",
    "",
    `Rendered on: ${host.cpus} CPUs (${host.model}), Node ${host.node}, kernel ${host.kernel}, ` +
      `load average ${host.loadAverage.map((x) => x.toFixed(2)).join(", ")}.`,
    "",
    "Each results file records the machine it was measured on (— where its script did not record a field):",
    "",
    line(["Results file", "Measured at", "CPUs", "CPU model", "Node", "Kernel", "Load average"]),
    line(["---", "---", "---", "---", "---", "---", "---"]),
  ];
  for (const [file, doc] of Object.entries(results).sort(([a], [b]) => a.localeCompare(b))) {
    const m = machineOf(doc);
    const shown = [m.cpus, m.model, m.node, m.kernel, m.load].map((v) => v ?? "—");
    out.push(line([`results/${file}`, shortDate(doc?.date), ...shown]));
  }
  return out;
}

/**
 * Renders bench/RESULTS.md.
 * `results`: parsed bench/results/*.json by file name (absent: never measured);
 * `runs`: run-all's record of each benchmark's last run; `host`: the machine
 * rendering; `now`: ISO date of the rendering.
 */
export function renderResults({ results, runs = {}, host, now }) {
  const rows = BENCHMARKS.flatMap((bench) =>
    benchmarkRows(bench, results, runs[bench.name]).map((r) => ({ ...r, bench: bench.name })),
  );
  const tally = (pred) => rows.filter(pred).length;
  const out = [
    "# Benchmark results",
    "",
    `Written by \`npm run bench\` (\`node bench/run-all.mjs\`) on ${shortDate(now)} from`,
    "`bench/results/*.json`; do not edit by hand. Each row is dated by the results file it",
    "comes from, so a figure that was not re-measured shows its old date. Targets and how to",
    "run each benchmark: `bench/README.md`.",
    "",
    `Targets: ${tally((r) => r.met === "yes")} met, ${tally((r) => r.met === "no" && r.figure !== "last run")} missed; ` +
      `benchmarks failed: ${tally((r) => r.figure === "last run")}, not run: ${tally((r) => r.value === "not run")}.`,
    "",
    line(["Benchmark", "Figure", "Value", "Target", "Met?", "Measured at"]),
    line(["---", "---", "---", "---", "---", "---"]),
  ];
  for (const r of rows)
    out.push(line([r.bench, r.figure, r.value, r.target, r.met, shortDate(r.date)]));
  return [...out, "", ...machineSection(results, host), ""].join("\n");
}
