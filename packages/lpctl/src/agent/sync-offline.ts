/**
 * `lpctl sync --offline`, what the boot unit runs: the same sync, with the
 * source replaced by the copy an earlier sync kept for the running kernel
 * (<stateDir>/kernels/<buildId>/, prepare-installed.ts). The stored bytes
 * are checked at boot against the verification record the sync that stored
 * them wrote once it had verified their signatures (verified-copy.ts), then
 * every rule runs again: expiry, rollback, repository, ring, the build-id
 * binding, the module's length and sha256. A copy without a record has its
 * signatures verified with OpenPGP. No network is touched.
 */
import { stat } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import type { AgentDeps } from "./agent-deps.js";
import { fileFetcher } from "./file-fetcher.js";
import { readKernelIdentity } from "./kernel-identity.js";
import { preparedDirOf } from "./prepare-installed.js";
import { runSync } from "./sync.js";
import type { SyncOutcome } from "./sync-steps.js";
import { trace } from "./trace.js";

export type OfflineOutcome = SyncOutcome | "nothing-stored";

export async function runOfflineSync(deps: AgentDeps): Promise<OfflineOutcome> {
  const id = await readKernelIdentity(deps.root, deps.arch);
  const dir = preparedDirOf(deps, id.buildId);
  if (
    !(await stat(dir).then(
      (s) => s.isDirectory(),
      () => false,
    ))
  ) {
    deps.log(
      `nothing stored for this kernel (${id.release}, build-id ${id.buildId}): ` +
        "no earlier sync prepared it; the timer's sync will fetch its patches",
    );
    return "nothing-stored";
  }
  trace("stored-copy-found");
  deps.log(`applying the copy stored in ${dir} (offline: no network)`);
  const stored = fileFetcher(pathToFileURL(`${dir}/`).href);
  return runSync({ ...deps, fetcher: stored, storedCopy: dir }, { force: false });
}
