import { stateDirOf, type AgentDeps } from "./agent-deps.js";
import { readKernelIdentity } from "./kernel-identity.js";
import { readState } from "./state.js";
import { buildStatusReport, type StatusReport } from "./status-report.js";

/** `lpctl status`: reads state, identity and sysfs; changes nothing. */
export async function collectStatus(
  deps: Omit<AgentDeps, "fetcher" | "loader">,
): Promise<StatusReport> {
  const state = await readState(stateDirOf(deps));
  const id = await readKernelIdentity(deps.root, deps.arch);
  const name = state.applied?.name;
  const live =
    name === undefined
      ? undefined
      : { loaded: await deps.sysfs.moduleLoaded(name), patch: await deps.sysfs.patch(name) };
  return buildStatusReport(state, id, live, deps.clock.now());
}

function age(seconds: number): string {
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  if (seconds < 172800) return `${Math.round(seconds / 3600)}h`;
  return `${Math.round(seconds / 86400)}d`;
}

/** Human-readable status lines. */
export function formatStatus(r: StatusReport): string[] {
  const lines = [
    `kernel:       ${r.kernel.release} (${r.kernel.arch}, build-id ${r.kernel.buildId})`,
    `patch state:  ${r.patchState}`,
  ];
  const m = r.manifest;
  lines.push(
    m === null
      ? "manifest:     none accepted yet"
      : `manifest:     version ${m.version} (${m.name}, ${m.repository}), issued ${m.issued} (${age(m.ageSeconds)} ago), ` +
          `expires ${m.expires}${m.expired ? " EXPIRED" : ""}`,
  );
  const mod = r.module;
  lines.push(
    mod === null
      ? "module:       none"
      : `module:       ${mod.name} ${mod.loaded ? "loaded" : "not loaded"}, enabled ${mod.enabled ? 1 : 0}, transition ${mod.transition ? 1 : 0}`,
  );
  if (r.keyList !== null && r.keyList.version > 0)
    lines.push(
      `key list:     version ${r.keyList.version} (${r.keyList.keys} keys, threshold ${r.keyList.threshold}), expires ${r.keyList.expires ?? "never"}`,
    );
  for (const p of r.applied) lines.push(`applied:      ${p.id} ${p.cves.join(" ")} — ${p.title}`);
  for (const p of r.pending) lines.push(`pending:      ${p.id} ${p.cves.join(" ")} — ${p.reason}`);
  lines.push(`last check:   ${r.lastCheck ?? "never"}`);
  if (r.lastError !== null)
    lines.push(`last error:   ${r.lastError.code}: ${r.lastError.message} (${r.lastError.at})`);
  return lines;
}
