/**
 * Read access to a kernel source tree for the source-aware lint: one small
 * interface so unit tests hand in fixture trees, and a default that reads a
 * directory and searches it with grep (argument array, no shell).
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { LpctlError } from "../../core/errors.js";
import type { Runner } from "../runtime/runner.js";

export interface SourceTree {
  /** Text of a file relative to the tree root, or undefined when it does not exist. */
  read(path: string): Promise<string | undefined>;
  /**
   * Every match of the extended regex in the tree's `*.c` files (only those
   * directly in directory `dir`, "kernel/sched/", when given), with its
   * tree-relative path.
   */
  grep(pattern: string, dir?: string): Promise<{ path: string; match: string }[]>;
  /**
   * The `*.c` and `*.h` files under `dir` (default: the whole tree, without
   * other architectures than x86 and without tools/, scripts/, samples/,
   * Documentation/) with a line matching the extended regex, sorted.
   */
  filesMatching(pattern: string, dir?: string): Promise<string[]>;
}

/** Top-level directories no x86 kernel object is compiled from. */
const NOT_X86_KERNEL = ["Documentation", "samples", "scripts", "tools", "usr"];

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

/** `arch/x86` when the tree has it: the only architecture whose objects are built here. */
async function xArch(root: string): Promise<string[]> {
  const names = await readdir(join(root, "arch")).catch(() => [] as string[]);
  return names.includes("x86") ? ["arch/x86"] : [];
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
    async filesMatching(pattern, dir) {
      if (dir !== undefined && !insideTree(dir)) return [];
      const tops =
        dir !== undefined
          ? [dir]
          : (await readdir(root, { withFileTypes: true }))
              .filter((e) => e.isDirectory() && !e.name.startsWith("."))
              .map((e) => e.name)
              .filter((n) => n !== "arch" && !NOT_X86_KERNEL.includes(n))
              .concat(await xArch(root));
      const args = ["-rlE", "--include=*.c", "--include=*.h", "-e", pattern, "--", ...tops];
      const r = await runner.run("grep", args, { cwd: root });
      if (r.exitCode > 1) {
        throw new LpctlError(
          "SOURCE_UNAVAILABLE",
          `cannot search the kernel source at ${root}: ${r.stderr.trim()}`,
        );
      }
      return r.stdout.split("\n").filter(Boolean).sort();
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
