/**
 * One kpatch-build run on a prepared tree. Always passes the pristine
 * vmlinux (kpatch-build rebuilds the tree's own), and a CACHEDIR per kernel
 * so parallel builds for different targets never share its tmp/.
 */
import { createWriteStream } from "node:fs";
import { translateFsError } from "../../io/fs-errors.js";
import { once } from "node:events";
import { REPRODUCIBLE_ENV } from "../kernel/kernel-make.js";
import type { Runner } from "../runtime/runner.js";

export interface KpatchRunOptions {
  kpatchBuild: string;
  tree: string;
  /** Pristine copies saved by prepare (vmlinux, .config). */
  pristineVmlinux: string;
  config: string;
  jobs: number;
  name: string;
  outDir: string;
  patchFiles: readonly string[];
  cacheDir: string;
  /** Build environment shared with prepare (KCFLAGS, KCPPFLAGS; see kpatch-make.ts). */
  env?: Record<string, string>;
  /** The full output goes here (OUT/build.log). */
  logFile: string;
  onLine?: (line: string) => void;
  onSpawn?: (pid: number) => void;
}

export interface KpatchRunResult {
  exitCode: number;
  /** stdout and stderr lines in arrival order (kpatch-build interleaves them). */
  lines: string[];
}

export function kpatchArgs(o: KpatchRunOptions): string[] {
  return [
    "-s",
    o.tree,
    "-c",
    o.config,
    "-v",
    o.pristineVmlinux,
    "-j",
    String(o.jobs),
    "-n",
    o.name,
    "-o",
    o.outDir,
    ...o.patchFiles,
  ];
}

export async function runKpatchBuild(
  runner: Runner,
  o: KpatchRunOptions,
): Promise<KpatchRunResult> {
  const log = createWriteStream(o.logFile, { flags: "w" });
  // A log that cannot be written must fail the build with a coded error, not crash the process.
  let logError: unknown;
  log.on("error", (e) => {
    logError ??= e;
  });
  const lines: string[] = [];
  let exitCode: number;
  try {
    const r = await runner.run(o.kpatchBuild, kpatchArgs(o), {
      env: { ...REPRODUCIBLE_ENV, ...o.env, CACHEDIR: o.cacheDir },
      ...(o.onSpawn ? { onSpawn: o.onSpawn } : {}),
      onLine: (line) => {
        lines.push(line);
        log.write(line + "\n");
        o.onLine?.(line);
      },
    });
    // A runner without streaming (a fake) still yields the output.
    if (lines.length === 0) {
      for (const l of (r.stdout + r.stderr).split("\n").filter((x) => x !== "")) {
        lines.push(l);
        log.write(l + "\n");
      }
    }
    exitCode = r.exitCode;
  } finally {
    log.end();
    if (!log.destroyed) await once(log, "close").catch(() => undefined);
  }
  if (logError !== undefined) throw translateFsError(logError, `write the build log ${o.logFile}`);
  return { exitCode, lines };
}
