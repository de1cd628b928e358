/**
 * `npm run bench`: builds, runs every benchmark in bench/lib/benchmarks.mjs
 * in sequence (each its own process, its output shown as it goes), then
 * writes bench/RESULTS.md from bench/results/*.json.
 *
 *   node bench/run-all.mjs [--only a,b] [--skip a,b] [--render]
 *
 * --only / --skip take benchmark names (also BENCH_ONLY / BENCH_SKIP);
 * --render runs nothing and only rewrites RESULTS.md. A failed benchmark is
 * recorded in bench/results/run-all.json and shows as failed in the table;
 * the command then exits 1 after running the rest.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, release } from "node:os";
import process from "node:process";
import { URL, fileURLToPath } from "node:url";
import { BENCHMARKS } from "./lib/benchmarks.mjs";
import { failure, renderResults } from "./lib/render-results.mjs";

const RESULTS = new URL("./results/", import.meta.url);
const RUN_RECORD = new URL("run-all.json", RESULTS);
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const log = (text) => process.stdout.write(`${text}\n`);

function parseArgs(argv) {
  const opts = { only: process.env.BENCH_ONLY, skip: process.env.BENCH_SKIP, render: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2);
    if (flag === "--render") opts.render = true;
    else if (flag === "--only" || flag === "--skip") opts[flag.slice(2)] = inline ?? argv[++i];
    else usage(`unknown argument ${argv[i]}`);
  }
  const names = (list) =>
    list
      ? list
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean)
      : [];
  const known = BENCHMARKS.map((b) => b.name);
  const only = names(opts.only);
  const skip = names(opts.skip);
  for (const n of [...only, ...skip]) if (!known.includes(n)) usage(`unknown benchmark ${n}`);
  const selected = BENCHMARKS.filter(
    (b) => (only.length === 0 || only.includes(b.name)) && !skip.includes(b.name),
  );
  return { render: opts.render, selected };
}

function usage(problem) {
  process.stderr.write(
    `${problem}\nusage: node bench/run-all.mjs [--only a,b] [--skip a,b] [--render]\n` +
      `benchmarks: ${BENCHMARKS.map((b) => b.name).join(", ")}\n`,
  );
  process.exit(2);
}

const readJson = (url) => JSON.parse(readFileSync(url, "utf8"));

function hasNpmScript(name) {
  return Boolean(readJson(new URL("../package.json", import.meta.url)).scripts?.[name]);
}

/** Runs one benchmark; returns what run-all.json records about it. */
function runOne(bench) {
  const env = { ...bench.env, ...process.env };
  const knobs = Object.keys(bench.knobs).map((k) => `${k}=${env[k] ?? bench.knobs[k]}`);
  log(`\n=== ${bench.name}: ${bench.command.join(" ")} (${[...knobs, bench.time].join(", ")})`);
  const started = Date.now();
  const r = spawnSync(bench.command[0], bench.command.slice(1), {
    cwd: ROOT,
    env,
    stdio: "inherit",
  });
  const done = {
    date: new Date().toISOString(),
    seconds: Math.round((Date.now() - started) / 1000),
  };
  if (r.error) return { ...done, exitCode: null, error: r.error.message };
  if (r.signal) return { ...done, exitCode: null, signal: r.signal };
  // A script that exits 0 without writing its results has not measured anything.
  const unwritten = bench.outputs.filter((f) => {
    const url = new URL(f, RESULTS);
    return !existsSync(url) || statSync(url).mtimeMs < started;
  });
  const error =
    r.status === 0 && unwritten.length > 0 ? `wrote no ${unwritten.join(", ")}` : undefined;
  return { ...done, exitCode: r.status, ...(error ? { error } : {}) };
}

function loadResults() {
  const results = {};
  for (const f of readdirSync(RESULTS)
    .filter((n) => n.endsWith(".json"))
    .sort()) {
    if (f === "run-all.json") continue;
    try {
      results[f] = readJson(new URL(f, RESULTS));
    } catch (e) {
      throw new Error(`bench/results/${f} is not valid JSON: ${e.message}`, { cause: e });
    }
  }
  return results;
}

/** Prettier's markdown layout, so `npm run lint` accepts the file as written. */
async function formatMarkdown(md) {
  const prettier = await import("prettier");
  const config =
    (await prettier.resolveConfig(fileURLToPath(new URL("./RESULTS.md", import.meta.url)))) ?? {};
  return prettier.format(md, { ...config, parser: "markdown" });
}

async function writeResultsMd(runs) {
  const model = cpus()[0]?.model ?? "unknown";
  const host = {
    cpus: cpus().length,
    model,
    node: process.version,
    kernel: release(),
    loadAverage: loadavg(),
  };
  const md = renderResults({ results: loadResults(), runs, host, now: new Date().toISOString() });
  writeFileSync(new URL("./RESULTS.md", import.meta.url), await formatMarkdown(md));
  log("wrote bench/RESULTS.md");
}

const { render, selected } = parseArgs(process.argv.slice(2));
const record = existsSync(RUN_RECORD) ? readJson(RUN_RECORD) : { runs: {} };
const failed = [];

if (!render) {
  log(`benchmarks: ${selected.map((b) => b.name).join(", ") || "(none)"}`);
  log("\n=== npm run build");
  const b = spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" });
  if (b.status !== 0) {
    process.stderr.write(`npm run build failed (exit ${b.status ?? b.signal}); nothing measured\n`);
    process.exit(1);
  }
  for (const bench of selected) {
    if (bench.optionalScript && !hasNpmScript(bench.optionalScript)) {
      log(`\n=== ${bench.name}: skipped, package.json has no "${bench.optionalScript}" script`);
      continue;
    }
    const run = runOne(bench);
    record.runs[bench.name] = run;
    const bad = failure(run);
    log(`=== ${bench.name}: ${bad ?? "ok"} after ${run.seconds} s`);
    if (bad) failed.push(`${bench.name} ${bad}`);
    // Written after every benchmark so an interrupted run keeps what it learnt.
    writeFileSync(RUN_RECORD, JSON.stringify(record, null, 2) + "\n");
  }
}

await writeResultsMd(record.runs);
if (failed.length > 0) {
  process.stderr.write(`\n${failed.length} benchmark(s) failed:\n  ${failed.join("\n  ")}\n`);
  process.exit(1);
}
