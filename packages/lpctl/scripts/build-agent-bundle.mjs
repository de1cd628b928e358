#!/usr/bin/env node
// Bundles the host agent (packages/lpctl/src/cli/agent-main.ts: sync, status, revert,
// install-units) into one file, packages/lpctl/dist/lpctl-agent.cjs, that runs with a bare
// `node` (no node_modules): what goes onto hosts, into the .deb and into the
// VM initramfs.
import { build } from "esbuild";
import { Buffer } from "node:buffer";
import zlib from "node:zlib";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

// The lpctl package, and the workspace root (node_modules; the paths esbuild reports).
const pkgDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const root = path.resolve(pkgDir, "../..");
const outfile = path.resolve(process.argv[2] ?? path.join(pkgDir, "dist", "lpctl-agent.cjs"));
// `lpctl --version` in a bundle that has no package.json beside it.
const { version } = JSON.parse(readFileSync(path.join(pkgDir, "package.json"), "utf8"));
// `lpctl install-units` in a bundle that has no contrib/ beside it.
const units = Object.fromEntries(
  ["lpctl-sync.service", "lpctl-sync.timer", "lpctl-boot.service"].map((n) => [
    n,
    readFileSync(path.join(pkgDir, "contrib", "systemd", n), "utf8"),
  ]),
);

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

// commander requires node:child_process at load, for executable subcommands
// the agent has none of; with it come net, dgram and their internals. Its
// requires get a stand-in that loads child_process on first use instead.
const lazyChildProcess = {
  name: "lazy-child-process",
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.importer.includes(`${path.sep}commander${path.sep}`)
        ? { path: "child-process", namespace: "lpctl-lazy-builtin" }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "lpctl-lazy-builtin" }, () => ({
      contents:
        'module.exports = new Proxy({}, { get: (_, name) => require("node:child_process")[name] });',
    }));
  },
};

// OpenPGP is a third of the bundle but only a sync that verifies something
// new needs it (a 304 sync does not). Node compiles a module's whole source
// at start, so the verifier and OpenPGP are built separately as CommonJS and
// embedded as a string, evaluated on first use. The core modules they share
// with the rest (errors, manifest schema, ...) stay in the main bundle and
// are handed in, so LpctlError is one class everywhere.
const VERIFY_DIR = path.join(pkgDir, "src", "core", "verify");
// The values packages/lpctl/src/core/verify/index.ts exports (types left out): what the lazy
// module re-exports, so a new export cannot be missing from the bundle.
const verifyExports = [
  ...readFileSync(path.join(VERIFY_DIR, "index.ts"), "utf8").matchAll(/export\s*\{([^}]*)\}/g),
]
  .flatMap((m) => m[1].split(","))
  .map((n) => n.trim())
  .filter((n) => n !== "" && !n.startsWith("type "));
const shared = new Set();
const verifyChunk = await build({
  entryPoints: [path.join(VERIFY_DIR, "index.ts")],
  absWorkingDir: root,
  bundle: true,
  write: false,
  platform: "node",
  target: "node18",
  format: "cjs",
  minify: true,
  legalComments: "none",
  logLevel: "warning",
  metafile: true,
  define: { "import.meta.url": "__lpctlImportMetaUrl" },
  plugins: [
    {
      name: "share-core",
      setup(b) {
        b.onResolve({ filter: /^\.\.\/[a-z-]+\.js$/ }, (args) => {
          if (args.resolveDir !== VERIFY_DIR) return undefined;
          shared.add(args.path);
          return { path: `lpctl-core:${args.path}`, external: true };
        });
      },
    },
  ],
});
// Embedded brotli-compressed (base64): a string literal of the bundle is
// read, scanned and kept in the code cache on every run, 386 kB of it for a
// chunk only a sync with something new to verify evaluates; compressed it is
// a quarter of that. node:zlib loads with the chunk, not before.
const verifySource = Buffer.from(verifyChunk.outputFiles[0].text);
const verifyPacked = zlib
  .brotliCompressSync(verifySource, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: verifySource.length,
    },
  })
  .toString("base64");
const lazyVerify = {
  name: "lazy-verify",
  setup(b) {
    b.onResolve({ filter: /core\/verify\/index\.js$/ }, () => ({
      path: "lazy-verify",
      namespace: "lpctl-lazy",
    }));
    b.onLoad({ filter: /.*/, namespace: "lpctl-lazy" }, () => {
      // Sorted: the order the verifier resolved them in varies, the bundle must not
      // (its hash names the code cache; the .deb should build the same twice).
      const names = [...shared].sort();
      const imports = names.map((n, i) => `import * as core${i} from ${JSON.stringify(n)};`);
      const cases = names.map(
        (n, i) => `if (id === ${JSON.stringify(`lpctl-core:${n}`)}) return core${i};`,
      );
      return {
        resolveDir: VERIFY_DIR,
        loader: "js",
        contents: [
          ...imports,
          `const source = require("node:zlib").brotliDecompressSync(Buffer.from(${JSON.stringify(verifyPacked)}, "base64")).toString("utf8");`,
          "const m = { exports: {} };",
          `const req = (id) => { ${cases.join(" ")} return require(id); };`,
          "new Function('module', 'exports', 'require', '__lpctlImportMetaUrl', source)(m, m.exports, req, import.meta.url);",
          `export const { ${verifyExports.join(", ")} } = m.exports;`,
        ].join("\n"),
      };
    });
  },
};

// The agent is built as one CommonJS function and embedded as a string in a
// small launcher (packages/lpctl/src/cli/agent-launcher.ts) that compiles it with a V8 code
// cache: a script can use cached bytecode on every Node the agent supports,
// a module cannot before Node 22. As a module the bundle was strict code;
// "use strict" keeps it so.
const body = await build({
  entryPoints: [path.join(pkgDir, "src", "cli", "agent-main.ts")],
  absWorkingDir: root,
  bundle: true,
  write: false,
  platform: "node",
  target: "node18",
  format: "cjs",
  // Node resolves import() only in modules: as require(), in this script.
  supported: { "dynamic-import": false },
  minify: true,
  metafile: true,
  plugins: [noZodLocales, lazyChildProcess, lazyVerify],
  define: {
    __LPCTL_VERSION__: JSON.stringify(version),
    __LPCTL_UNITS__: JSON.stringify(units),
    "import.meta.url": "__lpctlImportMetaUrl",
  },
  legalComments: "none",
  logLevel: "warning",
});
const bodyText = `(function(require,__lpctlImportMetaUrl){"use strict";${body.outputFiles[0].text}\n})`;
// The launcher is a CommonJS file too: Node starts a `.mjs` main file
// through its ES module loader (resolve, load, translate, link and evaluate
// jobs, a facade per imported builtin that reads every export), a `.cjs`
// one with a plain require.
const result = await build({
  entryPoints: [path.join(pkgDir, "src", "cli", "agent-launcher.ts")],
  absWorkingDir: root,
  outfile,
  write: false,
  bundle: true,
  platform: "node",
  target: "node18",
  format: "cjs",
  minify: true,
  metafile: true,
  define: {
    __LPCTL_AGENT_BODY__: JSON.stringify(bodyText),
    __LPCTL_AGENT_ID__: JSON.stringify(
      createHash("sha256").update(bodyText).digest("hex").slice(0, 16),
    ),
  },
  legalComments: "none",
  logLevel: "warning",
});

// Unchanged output is not rewritten, and a change replaces the file whole:
// the e2e tests' build runs while other test files may be running the agent
// from it (npm test).
const bundleText = result.outputFiles[0].text;
if (!existsSync(outfile) || readFileSync(outfile, "utf8") !== bundleText) {
  mkdirSync(path.dirname(outfile), { recursive: true });
  writeFileSync(`${outfile}.tmp`, bundleText);
  renameSync(`${outfile}.tmp`, outfile);
}

// The agent must stay small: the GitHub App side never belongs on a host.
const inputs = [
  ...Object.keys(result.metafile.inputs),
  ...Object.keys(body.metafile.inputs),
  ...Object.keys(verifyChunk.metafile.inputs),
];
const forbidden = inputs.filter(
  (i) =>
    /node_modules\/(probot|@octokit)\//.test(i) ||
    /packages\/(app|forge|demo)\/|packages\/lpctl\/src\/(builder|publisher)\//.test(i),
);
if (forbidden.length > 0) {
  process.stderr.write(`the agent bundle pulls in forbidden code:\n${forbidden.join("\n")}\n`);
  process.exit(1);
}
// The npm packages inside, for the .deb's copyright file (scripts/build-deb.sh).
const packagesFile = process.env.LPCTL_BUNDLE_PACKAGES;
if (packagesFile) {
  const dirs = new Set(
    inputs
      .map((i) => /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(i)?.[1])
      .filter((d) => d !== undefined),
  );
  const packages = [...dirs].sort().map((d) => {
    const pkg = JSON.parse(readFileSync(path.join(root, d, "package.json"), "utf8"));
    const license = typeof pkg.license === "string" ? pkg.license : "UNKNOWN";
    return { name: pkg.name, version: pkg.version, license, dir: d };
  });
  writeFileSync(packagesFile, JSON.stringify(packages, null, 2) + "\n");
}
const bytes = statSync(outfile).size;
process.stdout.write(
  `${path.relative(root, outfile)}: ${bytes} bytes from ${inputs.length} inputs\n`,
);
