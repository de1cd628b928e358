/** Reads a published directory (a mirror, or a downloaded release) back into release files. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { LpctlError } from "../core/errors.js";
import { kernelManifestName, BASE_NAME, type Manifest } from "../core/manifest.js";
import { parseManifestValue } from "../core/verify/check-manifest.js";
import { parseStrictJson } from "../core/strict-json.js";
import { ASC_TYPE, JSON_TYPE, readPublishedFile } from "./published-file.js";
import type { ReleaseFile } from "./release-files.js";

export interface PublishedDir {
  manifest: Manifest;
  manifestBytes: Uint8Array;
  signature: Uint8Array;
  /** Every file of the release in the directory, in publishing order. */
  files: ReleaseFile[];
  modules: Map<string, Uint8Array>;
  reportBytes: Map<string, Uint8Array>;
}

/** Reads manifest.json (+ .asc) in `dir` and every file it implies. */
export async function readPublishedDir(dir: string): Promise<PublishedDir> {
  const manifestBytes = await readPublishedFile(dir, "manifest.json");
  const signature = await readPublishedFile(dir, "manifest.json.asc");
  const manifest = parseManifestValue(parseStrictJson(manifestBytes, join(dir, "manifest.json")));
  const files: ReleaseFile[] = [];
  const modules = new Map<string, Uint8Array>();
  const reportBytes = new Map<string, Uint8Array>();
  const add = (name: string, bytes: Uint8Array, contentType: string): void => {
    files.push({ name, bytes, contentType });
  };
  for (const { module: m } of manifest.kernels) {
    if (!m) continue; // withdrawn: no module to carry
    if (!BASE_NAME.test(m.file))
      throw new LpctlError("MANIFEST_FILE_NAME_UNSAFE", `unsafe module name ${m.file}`);
    const module = await readPublishedFile(dir, m.file);
    modules.set(m.file, module);
    add(m.file, module, "application/octet-stream");
    add(`${m.file}.asc`, await readPublishedFile(dir, `${m.file}.asc`), ASC_TYPE);
  }
  for (const k of manifest.kernels) {
    const report = await readFile(join(dir, `build-report-${k.target}.json`)).catch(
      () => undefined,
    );
    if (report) {
      reportBytes.set(k.target, new Uint8Array(report));
      add(`build-report-${k.target}.json`, new Uint8Array(report), JSON_TYPE);
    }
  }
  for (const k of manifest.kernels) {
    const name = kernelManifestName(k.buildId);
    add(name, await readPublishedFile(dir, name), JSON_TYPE);
    add(`${name}.asc`, await readPublishedFile(dir, `${name}.asc`), ASC_TYPE);
  }
  add("manifest.json", manifestBytes, JSON_TYPE);
  add("manifest.json.asc", signature, ASC_TYPE);
  return { manifest, manifestBytes, signature, files, modules, reportBytes };
}
