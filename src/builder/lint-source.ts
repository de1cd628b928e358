/**
 * Gathers the SourceFacts the source-aware lint needs from a kernel tree:
 * the original text of every patched file, the kernel version, System.map
 * (when the tree is built) and where each static key the patch uses is
 * defined and whether the target's .config builds that object into vmlinux.
 */
import { parseDiff, type DiffFile } from "../core/diff.js";
import { applyDiffFile } from "../core/lint/expand.js";
import { configValues, objectHome } from "../core/lint/kbuild.js";
import { keyOf, JUMP_LABEL } from "../core/lint/rules/added-constructs.js";
import {
  kernelVersion,
  systemMapSymbols,
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

/** Static keys named on any line of the patches (added or context). */
function keysUsed(diffs: DiffFile[]): Set<string> {
  const keys = new Set<string>();
  for (const d of diffs)
    for (const h of d.hunks)
      for (const l of h.lines) {
        if (l.kind === "del" || !JUMP_LABEL.test(l.text)) continue;
        const k = keyOf(l.text);
        if (k !== undefined) keys.add(k);
      }
  return keys;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

async function locateKey(
  tree: SourceTree,
  key: string,
  config: ReadonlyMap<string, string> | undefined,
  symbols: ReadonlySet<string> | undefined,
): Promise<StaticKeyFacts> {
  const pattern = `DEFINE_STATIC_KEY_[A-Z_]+\\(\\s*${escape(key)}\\s*[,)]`;
  const files = await tree.grep(pattern);
  const file = files[0];
  if (symbols?.has(key))
    return file === undefined ? { home: "vmlinux" } : { file, home: "vmlinux" };
  if (file === undefined) return { home: "unknown" };
  if (config === undefined) return { file, home: "unknown" };
  const slash = file.lastIndexOf("/");
  const makefile = await tree.read(`${file.slice(0, slash + 1)}Makefile`);
  const object = `${file.slice(slash + 1).replace(/\.c$/, "")}.o`;
  return { file, home: makefile === undefined ? "unknown" : objectHome(object, makefile, config) };
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
  const staticKeys = new Map<string, StaticKeyFacts>();
  for (const key of keysUsed(diffs))
    staticKeys.set(key, await locateKey(tree, key, config, symbols));
  const version = makefile === undefined ? undefined : kernelVersion(makefile);
  return perPatch.map((files) => {
    const facts: SourceFacts = { files, staticKeys };
    if (version !== undefined) facts.version = version;
    if (symbols !== undefined) facts.vmlinuxSymbols = symbols;
    return facts;
  });
}
