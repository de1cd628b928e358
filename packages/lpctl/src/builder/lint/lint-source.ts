/**
 * Gathers the SourceFacts the source-aware lint needs from a kernel tree:
 * the original text of every patched file, the kernel version, System.map
 * (when the tree is built) and where each static key the patch uses is
 * defined and whether the target's .config builds that object into vmlinux.
 */
import { parseDiff, type DiffFile } from "../../core/diff.js";
import { applyDiffFile } from "../../core/lint/expand.js";
import { configValues, dirHome, objectHome, untracedBy } from "../../core/lint/kbuild.js";
import { JUMP_LABEL, siteKey, siteOf, type Site } from "../../core/lint/rules/jump-label.js";
import {
  kernelVersion,
  systemMapSymbols,
  type KeyHome,
  type KpatchTraits,
  type SourceFacts,
  type StaticKeyFacts,
  type StrongDefinition,
} from "../../core/lint/source-facts.js";
import {
  definesStrong,
  strongDefinitionPattern,
  weakDefinitions,
} from "../../core/lint/rules/weak-overridden.js";
import { insideTree, type SourceTree } from "./source-tree.js";

function diffsOf(texts: readonly string[]): DiffFile[] {
  return texts.flatMap((t) => {
    try {
      return parseDiff(t);
    } catch {
      return []; // lintEntry reports the malformed patch itself.
    }
  });
}

/** Jump-label and static-call sites named in the patches' lines and in the patched files (a widened hunk sees them). */
function sitesUsed(diffs: DiffFile[], originals: Iterable<string>): Map<string, Site> {
  const sites = new Map<string, Site>();
  const scan = (text: string) => {
    if (!JUMP_LABEL.test(text)) return;
    const site = siteOf(text);
    if (site !== undefined) sites.set(siteKey(site), site);
  };
  for (const d of diffs) for (const h of d.hunks) for (const l of h.lines) scan(l.text);
  for (const text of originals) for (const line of text.split("\n")) scan(line);
  return sites;
}

// DEFINE_STATIC_KEY_FALSE(name), DEFINE_STATIC_KEY_MAYBE(CONFIG_X, name), ...
const defineKey = (names: string) =>
  `DEFINE_STATIC_KEY_[A-Z_]+\\(([A-Z0-9_]+,[[:space:]]*)?(${names})[[:space:]]*[,)]`;
// DEFINE_STATIC_CALL(name, func), DEFINE_STATIC_CALL_NULL(name, type), DEFINE_STATIC_CALL_RET0(...)
const defineCall = (names: string) =>
  `DEFINE_STATIC_CALL(_NULL|_RET0)?\\([[:space:]]*(${names})[[:space:]]*,`;

/** A Makefile of the tree: the directory's `Kbuild` when it has one, as kbuild reads it. */
async function makefileOf(tree: SourceTree, dir: string): Promise<string | undefined> {
  return (await tree.read(`${dir}Kbuild`)) ?? (await tree.read(`${dir}Makefile`));
}

/**
 * How the target builds the object of the `.c` file at `path`, and which
 * source file that object is compiled from: its own directory's Makefile,
 * then every parent directory that names the subdirectory
 * (`obj-$(CONFIG_X) += sub/`) must build it too. A file no Makefile names
 * may be part of a unity build (kernel/sched/build_utility.c has
 * `#include "clock.c"`): then the including file's object is the one.
 */
export async function objectOf(
  tree: SourceTree,
  path: string,
  config: ReadonlyMap<string, string>,
  depth = 0,
): Promise<{ home: KeyHome; source: string }> {
  const slash = path.lastIndexOf("/");
  const makefile = await makefileOf(tree, path.slice(0, slash + 1));
  const object = `${path.slice(slash + 1).replace(/\.c$/, "")}.o`;
  if (makefile === undefined) return { home: "unknown", source: path };
  let home = objectHome(object, makefile, config);
  if (home === "not-built" && depth === 0) {
    const base = path.slice(slash + 1).replace(/\./g, "\\.");
    const [host] = await tree.grep(`#include[[:space:]]+"${base}"`, path.slice(0, slash + 1));
    if (host !== undefined && host.path !== path) return objectOf(tree, host.path, config, 1);
  }
  const parts = path.split("/").slice(0, -1);
  for (let i = parts.length - 1; i > 0 && home !== "not-built"; i--) {
    const parent = await makefileOf(tree, `${parts.slice(0, i).join("/")}/`);
    if (parent === undefined) break;
    const dir = dirHome(`${parts[i]}/`, parent, config);
    if (dir === "not-built") home = "not-built";
    else if (dir === "module" && home === "vmlinux") home = "module";
  }
  return { home, source: path };
}

async function homeOf(
  tree: SourceTree,
  path: string,
  config: ReadonlyMap<string, string>,
): Promise<KeyHome> {
  return (await objectOf(tree, path, config)).home;
}

/** Where each key and static call is defined (one grep each over the tree) and how it is built. */
async function locateKeys(
  tree: SourceTree,
  sites: Map<string, Site>,
  config: ReadonlyMap<string, string> | undefined,
  symbols: ReadonlySet<string> | undefined,
): Promise<Map<string, StaticKeyFacts>> {
  const out = new Map<string, StaticKeyFacts>();
  const found = new Map<string, string>();
  const search = async (kind: Site["kind"], define: (names: string) => string) => {
    const names = [...sites.values()].filter((s) => s.kind === kind).map((s) => s.name);
    if (names.length === 0) return;
    const parse = new RegExp(define(names.join("|")).replaceAll("[[:space:]]", "\\s"));
    for (const m of await tree.grep(define(names.join("|")))) {
      const name = parse.exec(m.match)?.[2];
      const key = name === undefined ? undefined : siteKey({ kind, name });
      if (key !== undefined && !found.has(key)) found.set(key, m.path);
    }
  };
  await search("jump-label", defineKey);
  await search("static-call", defineCall);
  for (const [key, site] of sites) {
    const file = found.get(key);
    // The static call's key is the __SCK__<name> symbol in vmlinux.
    const symbol = site.kind === "static-call" ? `__SCK__${site.name}` : site.name;
    let home: StaticKeyFacts["home"] = "unknown";
    if (symbols?.has(symbol)) home = "vmlinux";
    else if (file !== undefined && config !== undefined) home = await homeOf(tree, file, config);
    // A built tree's System.map lists every key vmlinux has, local ones too: a
    // definition it lacks is compiled out (an #ifdef the Makefile cannot show).
    if (symbols !== undefined && !symbols.has(symbol) && home !== "module") home = "not-built";
    out.set(key, file === undefined ? { home } : { file, home });
  }
  return out;
}

/** Why each patched `.c` file's object has no fentry calls, per its directory's Makefile. */
async function untracedObjects(
  tree: SourceTree,
  paths: Iterable<string>,
  config: ReadonlyMap<string, string>,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const path of paths) {
    const slash = path.lastIndexOf("/");
    const dir = path.slice(0, slash + 1);
    const makefile = await makefileOf(tree, dir);
    if (makefile === undefined) continue;
    const object = `${path.slice(slash + 1).replace(/\.c$/, "")}.o`;
    const line = untracedBy(object, makefile, config);
    if (line !== undefined) out.set(path, `${dir}Makefile: ${line}`);
  }
  return out;
}

/**
 * The strong definition overriding each `__weak` function the patched files
 * define: one search of the tree (x86 and common code) for every name, then
 * each candidate file read to tell a definition from a prototype or a call.
 * With a .config, only objects the target builds count.
 */
async function strongOverrides(
  tree: SourceTree,
  originals: ReadonlyMap<string, string>,
  config: ReadonlyMap<string, string> | undefined,
): Promise<Map<string, StrongDefinition>> {
  const out = new Map<string, StrongDefinition>();
  const names = [...new Set([...originals.values()].flatMap(weakDefinitions))];
  if (names.length === 0) return out;
  const candidates = await tree.filesMatching(strongDefinitionPattern(names));
  for (const file of candidates.filter((f) => f.endsWith(".c"))) {
    const text = (await tree.read(file)) ?? "";
    for (const name of names) {
      if (out.has(name) || !definesStrong(text, name)) continue;
      const home = config === undefined ? "unknown" : await homeOf(tree, file, config);
      if (home !== "not-built") out.set(name, { file, home });
    }
  }
  return out;
}

/**
 * Reads what the source-aware lint needs for a series of patches from
 * `tree`: one SourceFacts per patch, in order, each seeing the files as the
 * earlier patches of the series left them. `kpatch` is the kpatch-build that
 * will build them, when known.
 */
export async function gatherSourceFacts(
  tree: SourceTree,
  patchTexts: readonly string[],
  kpatch?: KpatchTraits,
): Promise<SourceFacts[]> {
  const diffs = diffsOf(patchTexts);
  const current = new Map<string, string | undefined>();
  const perPatch: Map<string, string>[] = [];
  for (const text of patchTexts) {
    const files = new Map<string, string>();
    for (const d of diffsOf([text])) {
      if (d.oldPath === undefined || !insideTree(d.oldPath)) continue;
      if (!current.has(d.path)) current.set(d.path, await tree.read(d.oldPath));
      const before = current.get(d.path);
      if (before === undefined) continue;
      files.set(d.path, before);
      current.set(d.path, applyDiffFile(d, before));
    }
    perPatch.push(files);
  }
  const makefile = await tree.read("Makefile");
  const map = await tree.read("System.map");
  const dotConfig = await tree.read(".config");
  const symbols = map === undefined ? undefined : systemMapSymbols(map);
  const config = dotConfig === undefined ? undefined : configValues(dotConfig);
  const originals = perPatch.flatMap((files) => [...files.values()]);
  const staticKeys = await locateKeys(tree, sitesUsed(diffs, originals), config, symbols);
  const version = makefile === undefined ? undefined : kernelVersion(makefile);
  const objects = new Map<string, KeyHome>();
  const sources = [...new Set(perPatch.flatMap((files) => [...files.keys()]))].filter((p) =>
    p.endsWith(".c"),
  );
  if (config !== undefined)
    for (const path of sources) objects.set(path, await homeOf(tree, path, config));
  const untraced = config === undefined ? undefined : await untracedObjects(tree, sources, config);
  const allOriginals = new Map(perPatch.flatMap((files) => [...files]));
  const weakOverrides = await strongOverrides(tree, allOriginals, config);
  return perPatch.map((files) => {
    const facts: SourceFacts = { files, staticKeys, objects, weakOverrides };
    if (config !== undefined) {
      facts.jumpLabels = config.get("CONFIG_JUMP_LABEL") === "y";
      facts.modversions = config.get("CONFIG_MODVERSIONS") === "y";
    }
    if (untraced !== undefined) facts.untraced = untraced;
    if (kpatch !== undefined) facts.kpatch = kpatch;
    if (version !== undefined) facts.version = version;
    if (symbols !== undefined) facts.vmlinuxSymbols = symbols;
    return facts;
  });
}
