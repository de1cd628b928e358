import { plural } from "../core/plural.js";
import { printable } from "../core/printable.js";
import { stateDirOf, type AgentDeps } from "./agent-deps.js";
import { readKernelIdentity } from "./kernel-identity.js";
import { readPrepared } from "./prepared-state.js";
import { readState } from "./state.js";
import { buildStatusReport, type PreparedReport, type StatusReport } from "./status-report.js";

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
  const prepared = await readPrepared(stateDirOf(deps));
  return buildStatusReport(state, id, live, deps.clock.now(), prepared);
}

function age(seconds: number): string {
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  if (seconds < 172800) return `${Math.round(seconds / 3600)}h`;
  return `${Math.round(seconds / 86400)}d`;
}

function until(iso: string, now: Date): string {
  const s = Math.round((Date.parse(iso) - now.getTime()) / 1000);
  return s <= 0 ? `${iso} (ended ${age(-s)} ago)` : `${iso} (in ${age(s)})`;
}

function preparedLine(k: PreparedReport): string {
  const what =
    k.result === "ready"
      ? `ready, ${k.module ?? "?"} (manifest version ${k.manifestVersion ?? "?"})`
      : k.result === "failed"
        ? `not prepared: ${k.error?.code ?? "?"}: ${k.error?.message ?? ""}` +
          (k.module === null
            ? ""
            : ` (kept: ${k.module}, manifest version ${k.manifestVersion ?? "?"})`)
        : k.result.replaceAll("-", " ");
  return `${k.release} (build-id ${k.buildId ?? "unreadable"}): ${what}, checked ${k.at}`;
}

/**
 * Human-readable status lines, at `now`. Titles, ids and messages come from
 * a manifest (one signed before titles were held to printable characters
 * may still carry an escape sequence) and from errors: a control character
 * is shown as `\u{…}`, never handed to the terminal.
 */
export function formatStatus(r: StatusReport, now: Date): string[] {
  const c = r.check;
  const lines = [
    `kernel:        ${r.kernel.release} (${r.kernel.arch}, build-id ${r.kernel.buildId})`,
    `patch state:   ${r.patchState}`,
    `last check:    ${c.at === null ? "never" : `${c.at}: ${c.result}`}` +
      (c.lastSuccess !== null && c.lastSuccess !== c.at ? ` (last success ${c.lastSuccess})` : ""),
  ];
  // A failed apply is the check's error too: say it once, as the apply error.
  const applyFailedCheck = r.applyError !== null && r.applyError.at === c.error?.at;
  if (c.error !== null && !applyFailedCheck)
    lines.push(`check error:   ${c.error.code}: ${c.error.message}`);
  if (r.applyError !== null)
    lines.push(
      `apply error:   ${r.applyError.module}: ${r.applyError.code}: ${r.applyError.message} (${r.applyError.at})`,
    );
  const m = r.manifest;
  lines.push(
    m === null
      ? "manifest:      none accepted for this kernel"
      : `manifest:      version ${m.version} (${m.name}, ${m.repository}), issued ${m.issued} (${age(m.ageSeconds)} ago)`,
  );
  if (r.coveredUntil !== null) lines.push(`covered until: ${until(r.coveredUntil, now)}`);
  const mod = r.module;
  lines.push(
    mod === null
      ? "module:        none"
      : `module:        ${mod.name} ${mod.loaded ? "loaded" : "not loaded"}, enabled ${mod.enabled ? 1 : 0}, transition ${mod.transition ? 1 : 0}`,
  );
  if (r.keyList !== null && r.keyList.version > 0)
    lines.push(
      `key list:      version ${r.keyList.version} (${plural(r.keyList.keys, "key")}, threshold ${r.keyList.threshold}), expires ${r.keyList.expires ?? "never"}`,
    );
  for (const p of r.applied) lines.push(`applied:       ${p.id} ${p.cves.join(" ")} — ${p.title}`);
  for (const p of r.pending) lines.push(`pending:       ${p.id} ${p.cves.join(" ")} — ${p.reason}`);
  if (r.exposed.length > 0) lines.push(`exposed to:    ${r.exposed.join(" ")}`);
  for (const n of r.notLivePatchable)
    lines.push(
      `reboot needed: ${n.cve}: not live patchable (${n.reason}); needs reboot into ≥ ${n.fixedIn}`,
    );
  for (const w of r.withdrawn)
    lines.push(
      `withdrawn:     ${w.id} ${w.cves.join(" ")} — withdrawn in version ${w.version}: ${w.reason}`,
    );
  if (r.withdrawal !== null)
    lines.push(
      `unloaded:      ${r.withdrawal.module} at ${r.withdrawal.at} (manifest version ${r.withdrawal.version} withdrew it)`,
    );
  for (const k of r.prepared) lines.push(`next boot:     ${preparedLine(k)}`);
  return lines.map(printable);
}
