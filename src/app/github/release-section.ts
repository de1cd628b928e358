/** The PR comment's release section: what hosts of each kernel get, and what was withdrawn and why. */
import type { Manifest, ManifestKernel } from "../../core/manifest.js";
import { cellCode } from "../markdown.js";

const withCves = (p: { id: string; cves: readonly string[] }): string =>
  `${cellCode(p.id)}${p.cves.length ? ` (${p.cves.map(cellCode).join(", ")})` : ""}`;

function row(k: ManifestKernel): string {
  const gets = k.module ? k.patches.map(withCves).join("; ") : "no module: hosts unload theirs";
  const gone = (k.withdrawn ?? [])
    .map((w) => `${withCves(w)}: ${cellCode(w.reason)} (version ${w.version})`)
    .join("; ");
  return `| ${cellCode(k.target)} (${cellCode(k.release)}) | ${gets} | ${gone || "—"} |`;
}

/** Markdown for release `tag` at `url`. */
export function releaseSection(manifest: Manifest, tag: string, url: string): string {
  return `### Release\n\nPublished [${tag}](${url}), manifest version ${manifest.version}, expires ${manifest.expires}.\n\n| kernel | patches (CVEs) hosts get | withdrawn (why) |\n| --- | --- | --- |\n${manifest.kernels.map(row).join("\n")}`;
}
