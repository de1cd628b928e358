/**
 * Gathers the SourceFacts the source-aware lint needs from a kernel tree:
 * the original text of every patched file, the kernel version, System.map
 * (when the tree is built) and where each static key the patch uses is
 * defined and whether the target's .config builds that object into vmlinux.
 */
import { parseDiff, type DiffFile } from "../core/diff.js";
import { applyDiffFile } from "../core/lint/expand.js";
import { configValues, objectHome } from "../core/lint/kbuild.js";
import { keyOf, JUMP_LABEL } from "../core/lint/rules/jump-label.js";
import {
  kernelVersion,
  systemMapSymbols,
  type KeyHome,
  type SourceFacts,
  type StaticKeyFacts,
} from "../core/lint/source-facts.js";
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

/** Static keys named in the patches' lines and in the patched files (a widened hunk sees them). */
function keysUsed(diffs: DiffFile[], originals: Iterable<string>): Set<string> {
  const keys = new Set<string>();
  const scan = (text: string) => {
    if (!JUMP_LABEL.test(text)) return;
    const k = keyOf(text);
    if (k !== undefined) keys.add(k);
  };
  for (const d of diffs) for (const h of d.hunks) for (const l of h.lines) scan(l.text);
  for (const text of originals) for (const line of text.split("\n")) scan(line);
  return keys;
}

// DEFINE_STATIC_KEY_FALSE(name), DEFINE_STATIC_KEY_MAYBE(CONFIG_X, name), ...
const defineKey = (names: string) =>
  `DEFINE_STATIC_KEY_[A-Z_]+\\(([A-Z0-9_]+,[[:space:]]*)?(${names})[[:space:]]*[,)]`;

/** How the target builds the object of the `.c` file at `path`. */
async function homeOf(
  tree: SourceTree,
  path: string,
  config: ReadonlyMap<string, string>,
): Promise<KeyHome> {
  const slash = path.lastIndexOf("/");
  const makefile = await tree.read(`${path.slice(0, slash + 1)}Makefile`);
  const object = `${path.slice(slash + 1).replace(/\.c$/, "")}.o`;
  return makefile === undefined ? "unknown" : objectHome(object, makefile, config);
}

/** Where each key is defined (one grep over the tree for all of them) and how it is built. */
async function locateKeys(
  tree: SourceTree,
  keys: Set<string>,
  config: ReadonlyMap<string, string> | undefined,
  symbols: ReadonlySet<string> | undefined,
): Promise<Map<string, StaticKeyFacts>> {
  const out = new Map<string, StaticKeyFacts>();
  if (keys.size === 0) return out;
  const found = new Map<string, string>();
  const names = [...keys].map(escape).join("|");
  const parse = new RegExp(defineKey(names).replaceAll("[[:space:]]", "\\s"));
  for (const m of await tree.grep(defineKey(names))) {
    const key = parse.exec(m.match)?.[2];
    if (key !== undefined && !found.has(key)) found.set(key, m.path);
  }
  for (const key of keys) {
    const file = found.get(key);
    let home: StaticKeyFacts["home"] = "unknown";
    if (symbols?.has(key)) home = "vmlinux";
    else if (file !== undefined && config !== undefined) home = await homeOf(tree, file, config);
    out.set(key, file === undefined ? { home } : { file, home });
  }
  return out;
}

/**
 * Reads what the source-aware lint needs for a series of patches from
 * `tree`: one SourceFacts per patch, in order, each seeing the files as the
 * earlier patches of the series left them.
 */
export async function gatherSourceFacts(
  tree: SourceTree,
  patchTexts: readonly string[],
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
  const staticKeys = await locateKeys(tree, keysUsed(diffs, originals), config, symbols);
  const version = makefile === undefined ? undefined : kernelVersion(makefile);
  const objects = new Map<string, KeyHome>();
  for (const path of new Set(perPatch.flatMap((files) => [...files.keys()]))) {
    if (config !== undefined && path.endsWith(".c"))
      objects.set(path, await homeOf(tree, path, config));
  }
  return perPatch.map((files) => {
    const facts: SourceFacts = { files, staticKeys, objects };
    if (config !== undefined) facts.jumpLabels = config.get("CONFIG_JUMP_LABEL") === "y";
    if (version !== undefined) facts.version = version;
    if (symbols !== undefined) facts.vmlinuxSymbols = symbols;
    return facts;
  });
}
