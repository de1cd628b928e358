// Bundles the CLI from source (dependencies stay in node_modules) so a
// benchmark measures the current tree without a separate `npm run build`.
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";

/** Writes the bundled CLI to `outfile` and returns its absolute path. */
export function bundleCli(outfile) {
  const cli = path.resolve(outfile);
  mkdirSync(path.dirname(cli), { recursive: true });
  execFileSync(
    "npx",
    [
      "esbuild",
      "packages/lpctl/src/cli/main.ts",
      "--bundle",
      "--platform=node",
      "--format=esm",
      `--outfile=${cli}`,
      "--packages=external",
      "--log-level=warning",
    ],
    { stdio: "inherit" },
  );
  return cli;
}
