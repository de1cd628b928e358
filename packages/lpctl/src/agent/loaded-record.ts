/**
 * What the agent loaded under each module name: <stateDir>/loaded/<name>
 * holds the sha256 of the bytes handed to insmod, written before insmod runs.
 * The kernel knows a live patch only by name; this record is how a later run
 * (even after a crash between insmod and the state write) tells whether the
 * live module is the one a manifest names, or other bytes under that name.
 */
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { writeFileAtomic } from "../io/atomic-write.js";
import { stateDirOf, type AgentDeps } from "./agent-deps.js";

const recordOf = (deps: AgentDeps, name: string): string =>
  // Module names are [A-Za-z0-9_]+ (manifest schema): safe as a file name.
  path.join(stateDirOf(deps), "loaded", name);

/** Records that the bytes with `sha256` are about to be loaded as `name`. */
export async function recordLoading(deps: AgentDeps, name: string, sha256: string): Promise<void> {
  const file = recordOf(deps, name);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFileAtomic(file, `${sha256}\n`);
}

/** The sha256 recorded for `name`, or undefined when this agent never loaded it. */
export async function loadedDigest(deps: AgentDeps, name: string): Promise<string | undefined> {
  const text = await readFile(recordOf(deps, name), "utf8").catch(() => undefined);
  const digest = text?.trim();
  return digest !== undefined && /^[0-9a-f]{64}$/.test(digest) ? digest : undefined;
}
