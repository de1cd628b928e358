/** The PR comment's release section after a merge: what hosts of each kernel get. Pure. */
import type { Manifest } from "../core/manifest.js";
import { rebootAction } from "../core/not-live-patchable.js";
import { cellCode } from "./markdown.js";

/** Markdown for release `tag` at `url` holding `manifest`. */
export function releaseSection(manifest: Manifest, tag: string, url: string): string {
  const hosts = manifest.kernels.map(
    (k) =>
      `| ${cellCode(k.target)} (${cellCode(k.release)}) | ${k.patches.map((p) => `${cellCode(p.id)}${p.cves.length ? ` (${p.cves.map(cellCode).join(", ")})` : ""}`).join("; ")} |`,
  );
  const records = manifest.kernels.flatMap((k) =>
    (k.notLivePatchable ?? []).map(
      (r) => `| ${cellCode(k.target)} | ${cellCode(r.cve)} | ${cellCode(rebootAction(r))} |`,
    ),
  );
  const reboot = records.length
    ? `\n\nNot live patchable (hosts need a reboot; scanners read it in each kernel's signed \`vex-<build-id>.json\`):\n\n| kernel | CVE | action |\n| --- | --- | --- |\n${records.join("\n")}`
    : "";
  return `### Release\n\nPublished [${tag}](${url}), manifest version ${manifest.version}, expires ${manifest.expires}.\n\n| kernel | patches (CVEs) hosts get |\n| --- | --- |\n${hosts.join("\n")}${reboot}`;
}
