/**
 * `livepatch-forge`: runs the local GitHub stand-in until SIGINT/SIGTERM,
 * with this repository's GitHub App registered and its credentials written
 * to the data directory.
 */
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { Command } from "commander";
import { ensureApp, howToUse } from "../app-setup.js";
import { startForge } from "../index.js";
import { runWorkflow, workflowTriggers } from "../runner/index.js";
import { checkSandbox } from "../runner/sandbox-check.js";
import { ForgeError } from "../errors.js";

interface ForgeFlags {
  port: string;
  data: string;
  appManifest?: string;
  json?: boolean;
  actions?: boolean;
  runnerEnv: string[];
  runnerCache: string[];
  runnerHide: string[];
}

const many = (v: string, acc: string[]) => [...acc, v];

/** `KEY=VALUE` → [KEY, VALUE]; the runner's .env lines. */
function envPair(text: string): [string, string] {
  const eq = text.indexOf("=");
  if (eq <= 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(text.slice(0, eq))) {
    throw new ForgeError("USAGE", `--runner-env ${text}: expected NAME=VALUE`);
  }
  return [text.slice(0, eq), text.slice(eq + 1)];
}

/** Where the command writes: stdout for its result, stderr for progress. */
export interface ForgeOutput {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** The `livepatch-forge` command line; errors are thrown (exitOverride), not printed. */
export function forgeProgram(output: ForgeOutput): Command {
  return new Command("livepatch-forge")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => output.out(s.replace(/\n$/, "")),
      writeErr: (s) => output.err(s.replace(/\n$/, "")),
    })
    .option("--debug", "show stack traces")
    .description(
      "run a GitHub Enterprise Server–compatible forge on 127.0.0.1 (REST, git, webhooks)",
    )
    .option("--port <n>", "port to listen on (0: any free port)", "0")
    .option("--data <dir>", "state directory (repositories, releases, credentials)", ".forge")
    .option("--app-manifest <file>", "GitHub App manifest to register (default: ./app.yml)")
    .option("--json", "print the URLs and credentials file as one JSON line")
    .option(
      "--actions",
      "run workflows on this machine as a self-hosted runner would (.github/workflows on push, pull_request, dispatch)",
    )
    .option(
      "--runner-env <NAME=VALUE>",
      "environment for every workflow step (repeatable; a self-hosted runner's .env)",
      many,
      [] as string[],
    )
    .option(
      "--runner-cache <dir>",
      "a directory jobs share (kernel cache, tool cache): writable by trusted runs only (repeatable)",
      many,
      [] as string[],
    )
    .option(
      "--runner-hide <path>",
      "a file or directory jobs must not see, besides the data directory (repeatable; e.g. a signing key)",
      many,
      [] as string[],
    )
    .action(async (flags: ForgeFlags) => {
      const runnerEnv = Object.fromEntries(flags.runnerEnv.map(envPair));
      const runnerFlags = [...flags.runnerEnv, ...flags.runnerCache, ...flags.runnerHide];
      if (!flags.actions && runnerFlags.length > 0) {
        throw new ForgeError(
          "USAGE",
          "--runner-env, --runner-cache and --runner-hide need --actions",
        );
      }
      if (flags.actions) await checkSandbox();
      // A cache must exist to be bound into the sandbox; the first trusted job fills it.
      for (const d of flags.runnerCache) await mkdir(d, { recursive: true });
      const sandbox = {
        caches: flags.runnerCache.map((d) => resolve(d)),
        hide: flags.runnerHide.map((d) => resolve(d)),
      };
      const forge = await startForge({
        dataDir: flags.data,
        port: Number.parseInt(flags.port, 10) || 0,
        log: (line) => output.err(line),
        ...(flags.actions ? { runner: { workflowTriggers, runWorkflow }, runnerEnv, sandbox } : {}),
      });
      const { creds, created, source } = await ensureApp(forge, flags.data, flags.appManifest);
      const credsFile = join(flags.data, "app-credentials.json");
      if (flags.json) {
        output.out(
          JSON.stringify({
            url: forge.url,
            apiUrl: forge.apiUrl,
            uploadsUrl: forge.uploadsUrl,
            appId: creds.appId,
            credentialsFile: credsFile,
          }),
        );
      } else {
        output.out(
          created ? `registered app from ${source}` : `app already registered (${source})`,
        );
        for (const line of howToUse(forge, creds, credsFile)) output.out(line);
      }
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      // Like a runner going down: running jobs are cancelled, deliveries still go out.
      await forge.close({ cancelRuns: true });
      output.err("forge stopped");
    });
}
