/**
 * Read access to a kernel source tree for the source-aware lint: one small
 * interface so unit tests hand in fixture trees, and a default that reads a
 * directory and searches it with grep (argument array, no shell).
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { LpctlError } from "../core/errors.js";
import type { Runner } from "./runner.js";

export interface SourceTree {
  /** Text of a file relative to the tree root, or undefined when it does not exist. */
  read(path: string): Promise<string | undefined>;
  /**
   * Every match of the extended regex in the tree's `*.c` files (only those
   * directly in directory `dir`, "kernel/sched/", when given), with its
   * tree-relative path.
   */
  grep(pattern: string, dir?: string): Promise<{ path: string; match: string }[]>;
}

/** Tree paths must stay inside the tree: no absolute paths, no `..`. */
export function insideTree(path: string): boolean {
  return path !== "" && !path.startsWith("/") && !path.split("/").includes("..");
}

/** The `*.c` files directly in `abs`, as tree paths under `dir`. */
async function cFilesIn(abs: string, dir: string): Promise<string[]> {
  try {
    const names = await readdir(abs);
    return names.filter((n) => n.endsWith(".c")).map((n) => `${dir}${n}`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
}

/** The tree at `root`, searched with `grep -rEoH`. */
export function dirSourceTree(root: string, runner: Runner): SourceTree {
  return {
    async read(path) {
      if (!insideTree(path)) return undefined;
      try {
        return await readFile(join(root, path), "utf8");
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw e;
      }
    },
    async grep(pattern, dir) {
      if (dir !== undefined && !insideTree(dir)) return [];
      const files = dir === undefined ? ["."] : await cFilesIn(join(root, dir), dir);
      // Without a file operand grep would read stdin.
      if (files.length === 0) return [];
      const args =
        dir === undefined
          ? ["-rEoH", "--include=*.c", "-e", pattern, ...files]
          : ["-EoH", "-d", "skip", "-e", pattern, "--", ...files];
      const r = await runner.run("grep", args, { cwd: root });
      // grep exits 1 when nothing matched; 2 is a real error.
      if (r.exitCode > 1) {
        throw new LpctlError(
          "SOURCE_UNAVAILABLE",
          `cannot search the kernel source at ${root}: ${r.stderr.trim()}`,
        );
      }
      return r.stdout
        .split("\n")
        .filter(Boolean)
        .map((l) => {
          const at = l.indexOf(":");
          return { path: l.slice(0, at).replace(/^\.\//, ""), match: l.slice(at + 1) };
        })
        .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    },
  };
}
