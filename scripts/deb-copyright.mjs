#!/usr/bin/env node
// Writes the .deb's debian/copyright (machine-readable format 1.0) for the
// agent bundle: this project's licence and every npm package the bundle
// carries (the list build-agent-bundle.mjs wrote), with each package's own
// licence text, so the package states what it redistributes.
// Usage: deb-copyright.mjs <packages.json> <out>
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const [packagesFile, out] = process.argv.slice(2);
const packages = JSON.parse(readFileSync(packagesFile, "utf8"));

/** Debian's short names; the common-licenses ones need no full text. */
const DEBIAN_NAME = {
  "LGPL-3.0+": "LGPL-3+",
  "Apache-2.0": "Apache-2.0",
  MIT: "Expat",
  ISC: "ISC",
};
const COMMON = {
  "LGPL-3+": "/usr/share/common-licenses/LGPL-3",
  "Apache-2.0": "/usr/share/common-licenses/Apache-2.0",
};

/** A copyright file's continuation lines: one space, empty lines as " .". */
const indent = (text) =>
  text
    .trim()
    .split("\n")
    .map((l) => (l.trim() === "" ? " ." : ` ${l.trimEnd()}`))
    .join("\n");

function licenseText(dir) {
  const name = readdirSync(path.join(root, dir)).find((f) =>
    /^(licen[cs]e|copying)(\.|$)/i.test(f),
  );
  return name === undefined ? undefined : readFileSync(path.join(root, dir, name), "utf8");
}

function copyrightLines(text) {
  const lines = (text ?? "").split("\n").filter((l) => /copyright\s*(\(c\)|©|\d)/i.test(l));
  return lines.length > 0 ? lines.map((l) => l.trim()) : ["the authors of the package"];
}

const stanzas = [
  [
    "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/",
    "Upstream-Name: livepatch-gitops",
    "Comment: /usr/lib/lpctl-agent/lpctl-agent.cjs is one file bundled with esbuild from",
    " this project's sources and the npm packages listed below, each under its own",
    " licence.",
  ].join("\n"),
  ["Files: *", "Copyright: the livepatch-gitops authors", "License: Apache-2.0"].join("\n"),
];
const fullTexts = new Map();
for (const p of packages) {
  const license = DEBIAN_NAME[p.license];
  if (license === undefined)
    throw new Error(`${p.name}: licence ${p.license} has no Debian name here`);
  const text = licenseText(p.dir);
  stanzas.push(
    [
      `Files: bundled-npm/${p.name}`,
      `Copyright: ${indent(copyrightLines(text).join("\n")).slice(1)}`,
      `License: ${license}`,
      `Comment: npm package ${p.name} ${p.version}, inside lpctl-agent.cjs`,
    ].join("\n"),
  );
  if (!(license in COMMON) && !fullTexts.has(license) && text !== undefined) {
    fullTexts.set(license, text);
  }
}
for (const [license, file] of Object.entries(COMMON)) {
  stanzas.push(`License: ${license}\n On Debian systems the full text is in ${file}.`);
}
for (const [license, text] of fullTexts) stanzas.push(`License: ${license}\n${indent(text)}`);
writeFileSync(out, stanzas.join("\n\n") + "\n");
