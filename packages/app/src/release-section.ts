/**
 * The PR comment's release section after a merge: what hosts of each kernel
 * get, what was withdrawn and why, and what only a reboot fixes. Pure.
 */
import type { Manifest, ManifestKernel } from "@livepatch-gitops/lpctl/core/manifest";
import { rebootAction } from "@livepatch-gitops/lpctl/core/not-live-patchable";
import { cellCode } from "./markdown.js";

const withCves = (p: { id: string; cves: readonly string[] }): string =>
  `${cellCode(p.id)}${p.cves.length ? ` (${p.cves.map(cellCode).join(", ")})` : ""}`;

function row(k: ManifestKernel): string {
  const gets = k.module ? k.patches.map(withCves).join("; ") : "no module: hosts unload theirs";
  const gone = (k.withdrawn ?? [])
    .map((w) => `${withCves(w)}: ${cellCode(w.reason)} (version ${w.version})`)
    .join("; ");
  return `| ${cellCode(k.target)} (${cellCode(k.release)}) | ${gets} | ${gone || "—"} |`;
}

/** Markdown for release `tag` at `url` holding `manifest`. */
export function releaseSection(manifest: Manifest, tag: string, url: string): string {
  const records = manifest.kernels.flatMap((k) =>
    (k.notLivePatchable ?? []).map(
      (r) => `| ${cellCode(k.target)} | ${cellCode(r.cve)} | ${cellCode(rebootAction(r))} |`,
    ),
  );
  const reboot = records.length
    ? `\n\nNot live patchable (hosts need a reboot; scanners read it in each kernel's signed \`vex-<build-id>.json\`):\n\n| kernel | CVE | action |\n| --- | --- | --- |\n${records.join("\n")}`
    : "";
  return `### Release\n\nPublished [${tag}](${url}), manifest version ${manifest.version}, expires ${manifest.expires}.\n\n| kernel | patches (CVEs) hosts get | withdrawn (why) |\n| --- | --- | --- |\n${manifest.kernels.map(row).join("\n")}${reboot}`;
}
