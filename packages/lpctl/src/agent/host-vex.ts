/**
 * `lpctl status --format openvex`: this host's own OpenVEX statement, from
 * what is live now, not from what the release offers. Pure.
 *
 * - fixed: a CVE whose patch is in the applied module while that module is
 *   loaded, enabled and out of its transition (the report's `applied`);
 * - affected, action "reboot into ≥ X": a CVE the manifest entry declares
 *   not live patchable;
 * - affected, action "run lpctl sync": a CVE of a pending patch. The fix
 *   exists but is not live, and the running code is the vulnerable code, so
 *   under_investigation would understate it.
 * Nothing is said about CVEs the manifest does not name.
 */
import {
  OPENVEX_CONTEXT,
  kernelProducts,
  rebootStatements,
  type VexDocument,
  type VexStatement,
} from "../core/openvex.js";
import type { StatusReport } from "./status-report.js";

/** The statement, or undefined when the report names no CVE (OpenVEX needs one statement). */
export function hostVex(r: StatusReport, now: Date): VexDocument | undefined {
  const products = kernelProducts(r.kernel);
  const statements: VexStatement[] = [];
  for (const cve of r.cves)
    statements.push({
      vulnerability: { name: cve },
      products,
      status: "fixed",
      status_notes: `live patched on this host: module ${r.module?.name ?? "?"} is loaded and enabled (manifest version ${r.manifest?.version ?? "?"})`,
    });
  const said = new Set(r.cves);
  for (const p of r.pending)
    for (const cve of p.cves.filter((c) => !said.has(c))) {
      said.add(cve);
      statements.push({
        vulnerability: { name: cve },
        products,
        status: "affected",
        action_statement: `apply the live patch ${p.id}: ${p.reason}`,
      });
    }
  statements.push(...rebootStatements(r.notLivePatchable, products));
  if (statements.length === 0) return undefined;
  const at = new Date(Math.floor(now.getTime() / 1000) * 1000).toISOString();
  return {
    "@context": OPENVEX_CONTEXT,
    "@id": `urn:lpctl:vex:host:${r.kernel.buildId}:${at}`,
    author: `lpctl status on the host running build-id ${r.kernel.buildId}`,
    role: "host live patch agent",
    timestamp: at,
    version: 1,
    tooling: "lpctl status --format openvex",
    statements,
  };
}
