#!/usr/bin/env node
/**
 * `npm run demo [-- --keep]`: see scenario.ts. scripts/demo.sh does the
 * machine's set-up first (packages, npm ci, build) and then runs this.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import { join, resolve } from "node:path";
import { Command } from "commander";
import { resolveCacheDir } from "@livepatch-gitops/lpctl/builder/cache/cache-key";
import { Processes } from "./processes.js";
import { FULL } from "./repository.js";
import { runScenario, TARGET, type DemoOutcome } from "./scenario.js";
import type { DemoPaths } from "./services.js";
import { summaryTable, Timeline } from "./timeline.js";

interface Flags {
  keep?: boolean;
  data: string;
  toolCache?: string;
  results?: string;
}

const program = new Command("demo")
  .description(
    "the pull-request loop on this machine: forge, app, runner, review, release, a host VM",
  )
  .option("--keep", "leave the forge and the app running afterwards (Ctrl-C stops them)")
  .option("--data <dir>", "where the demo keeps its state and caches", ".cache/demo")
  .option(
    "--tool-cache <dir>",
    "the runner's tool cache (lpctl's build per source tree), when another runner shares it (default: <data>/tool-cache)",
  )
  .option("--results <file>", "also write the timings as JSON here (npm run bench uses it)")
  .parse();
const flags = program.opts<Flags>();

const root = resolve(import.meta.dirname, "../../..");
const data = resolve(flags.data);
const paths: DemoPaths = {
  root,
  run: join(data, "run"),
  keep: data,
  toolCache: flags.toolCache === undefined ? join(data, "tool-cache") : resolve(flags.toolCache),
  kernelCache: resolveCacheDir(undefined, process.env),
  toolsBin: join(process.env.LPCTL_TOOLS_DIR ?? "/opt/livepatch-gitops/tools", "usr/bin"),
};
const t = new Timeline({
  write: (s) => process.stdout.write(s),
  isTTY: process.stdout.isTTY,
});
const procs = new Processes();
const outcome: DemoOutcome = { cached: false };

let stopping = false;
const shutdown = async (code: number) => {
  if (stopping) return;
  stopping = true;
  await procs.stopAll();
  process.exit(code);
};
process.once("SIGINT", () => {
  t.say("\ninterrupted: stopping the VM, the app and the forge");
  void shutdown(130);
});
process.once("SIGTERM", () => void shutdown(143));

t.say(`livepatch-gitops demo: ${FULL} on a local forge, target ${TARGET}`);
let ok = false;
try {
  await rm(paths.run, { recursive: true, force: true });
  await mkdir(paths.run, { recursive: true });
  await runScenario(t, paths, procs, outcome);
  ok = true;
} catch (e) {
  const failed = t.results.some((r) => !r.ok);
  t.say(`\ndemo failed: ${e instanceof Error ? e.message : String(e)}`);
  if (!failed && e instanceof Error && e.stack) t.say(e.stack);
}

const total = t.elapsedMs() / 1000;
t.say("");
for (const line of summaryTable(t.results, total)) t.say(line);
const f = outcome.forge;
t.say("");
if (f) {
  t.say(`forge:    ${f.url}/${FULL}  (API ${f.apiUrl})`);
  t.say(`releases: ${f.url}/${FULL}/releases/latest/download/manifest.json`);
}
t.say(`logs:     ${paths.run}/forge.log, app.log, host-console.log`);
if (outcome.pushToReleaseSeconds !== undefined) {
  const fmt = (n: number | undefined) => (n === undefined ? "-" : `${n.toFixed(1)} s`);
  t.say(
    `times:    push → v1 ${fmt(outcome.pushToReleaseSeconds)}; v1 → host patched ${fmt(outcome.releaseToHostPatchedSeconds)}; ` +
      `merge → v2 ${fmt(outcome.mergeToReleaseSeconds)}; v2 → host patched ${fmt(outcome.v2ToHostPatchedSeconds)}`,
  );
}
t.say(`total:    ${total.toFixed(1)} s, ${ok ? "every check passed" : "FAILED"}`);

const record = {
  date: new Date().toISOString(),
  machine: {
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model ?? "?",
    node: process.version,
    loadavg: os.loadavg(),
  },
  run: outcome.cached ? "cached" : "first",
  ok,
  totalSeconds: total,
  forgeUrl: f?.url,
  appPort: f?.appPort,
  steps: t.results.map((r) => ({ name: r.title, seconds: r.seconds, ok: r.ok })),
  pushToReleaseSeconds: outcome.pushToReleaseSeconds,
  releaseToHostPatchedSeconds: outcome.releaseToHostPatchedSeconds,
  mergeToReleaseSeconds: outcome.mergeToReleaseSeconds,
  v2ToHostPatchedSeconds: outcome.v2ToHostPatchedSeconds,
};
await writeFile(join(paths.run, "demo.json"), JSON.stringify(record, null, 2) + "\n");
if (flags.results) await writeFile(resolve(flags.results), JSON.stringify(record, null, 2) + "\n");

if (ok && flags.keep && f && outcome.tokens) {
  await writeFile(join(paths.run, "tokens.json"), JSON.stringify(outcome.tokens, null, 2) + "\n", {
    mode: 0o600,
  });
  t.say("");
  t.say("--keep: the forge, the app and the host VM stay up. Try:");
  t.say(`  git clone ${f.url}/${FULL}.git /tmp/livepatches`);
  t.say(
    `  curl -s ${f.apiUrl}/repos/${FULL}/releases/latest | jq '{tag_name, assets: [.assets[].name]}'`,
  );
  t.say(`  curl -sL ${f.url}/${FULL}/releases/latest/download/manifest.json -o /tmp/manifest.json`);
  t.say(
    `  curl -sL ${f.url}/${FULL}/releases/latest/download/manifest.json.asc -o /tmp/manifest.json.asc`,
  );
  t.say(
    `  node packages/lpctl/dist/cli/main.js verify --manifest /tmp/manifest.json --key ${paths.keep}/keys/signing-key.pub.asc`,
  );
  t.say(
    `  tokens for alice, bob and carol: ${paths.run}/tokens.json (e.g. curl -H "authorization: token …" ${f.apiUrl}/user)`,
  );
  t.say("Ctrl-C stops everything.");
  await new Promise(() => undefined);
}
await shutdown(ok ? 0 : 1);
