#!/usr/bin/env node
/**
 * The start of the single-file agent (packages/lpctl/dist/lpctl-agent.cjs). The agent
 * itself (agent-main.ts, bundled as a CommonJS function by
 * packages/lpctl/scripts/build-agent-bundle.mjs) is embedded as a string and compiled with
 * the V8 code cache kept in the state dir (../agent/code-cache.ts), so a
 * run after the first skips compiling it: on every Node the agent supports
 * (18+), for every command, `sync --offline` at boot included. The bundle
 * is a CommonJS file, so `require` and `__filename` are its own.
 */
import { pathToFileURL } from "node:url";
import { Script } from "node:vm";
import { codeCacheDir, readCodeCache, writeCodeCache } from "../agent/code-cache.js";

/** The bundled agent: `(function (require, __lpctlImportMetaUrl) {...})`. */
declare const __LPCTL_AGENT_BODY__: string;
/** sha256 of the body, from the build: names its cache. */
declare const __LPCTL_AGENT_ID__: string;

const dir = codeCacheDir(process.argv.slice(2), process.env);
const cachedData = readCodeCache(dir, __LPCTL_AGENT_ID__);
const script = new Script(__LPCTL_AGENT_BODY__, {
  filename: __filename,
  ...(cachedData === undefined ? {} : { cachedData }),
});
// At exit the cache also holds the functions this run compiled lazily.
if (cachedData === undefined || script.cachedDataRejected === true)
  process.once("exit", () =>
    writeCodeCache(dir, __LPCTL_AGENT_ID__, () => script.createCachedData()),
  );
(script.runInThisContext() as (require: NodeJS.Require, importMetaUrl: string) => void)(
  require,
  pathToFileURL(__filename).href,
);
