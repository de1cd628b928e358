#!/usr/bin/env node
// Bundles the host agent (src/cli/agent-main.ts: sync, status, revert) into
// one file, dist/lpctl-agent.mjs, that runs with a bare `node` (no
// node_modules): what goes onto hosts and into the VM initramfs.
import { build } from "esbuild";
import { statSync } from "node:fs";
import path from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outfile = process.argv[2] ?? path.join(root, "dist/lpctl-agent.mjs");

// zod re-exports ~60 translations of its messages (z.locales, a quarter of the
// bundle); the agent uses only the default English one, which zod imports on
// its own, so the re-export is replaced by an empty module.
const noZodLocales = {
  name: "no-zod-locales",
  setup(b) {
    b.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${path.sep}zod${path.sep}`)
        ? { path: "zod-locales", namespace: "lpctl-stub" }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "lpctl-stub" }, () => ({ contents: "export {};" }));
  },
};

const result = await build({
  entryPoints: [path.join(root, "src/cli/agent-main.ts")],
  outfile,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  minify: true,
  metafile: true,
  plugins: [noZodLocales],
  legalComments: "none",
  logLevel: "warning",
  // Bundled CommonJS dependencies call require(); give the ESM bundle one.
  banner: {
    js: "import{createRequire as __lpctlCreateRequire}from'node:module';const require=__lpctlCreateRequire(import.meta.url);",
  },
});

// The agent must stay small: the GitHub App side never belongs on a host.
const inputs = Object.keys(result.metafile.inputs);
const forbidden = inputs.filter(
  (i) =>
    /node_modules\/(probot|@octokit)\//.test(i) || /src\/(app|builder|publisher|forge)\//.test(i),
);
if (forbidden.length > 0) {
  process.stderr.write(`the agent bundle pulls in forbidden code:\n${forbidden.join("\n")}\n`);
  process.exit(1);
}
const bytes = statSync(outfile).size;
process.stdout.write(
  `${path.relative(root, outfile)}: ${bytes} bytes from ${inputs.length} inputs\n`,
);
