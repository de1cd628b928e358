/**
 * The functions a kpatch livepatch module replaces, read from the module
 * itself rather than from the engine's log: the module template's
 * `.kpatch.funcs` array (struct kpatch_patch_func, 7 longs: new_addr,
 * new_size, old_addr, old_size, sympos, name, objname), which its init
 * turns into the klp_func list the kernel patches. The name and objname
 * pointers are relocations into `.kpatch.strings`; `readelf` prints both,
 * and survives `strip --strip-debug` (neither section is debug info).
 */
import { expect } from "vitest";
import { execaRunner } from "../../../src/builder/runtime/runner.js";

const ENTRY = 7 * 8;
const NAME = 5 * 8;
const OBJNAME = 6 * 8;

export interface PatchedFunction {
  object: string;
  function: string;
}

async function readelf(args: string[]): Promise<string> {
  const r = await execaRunner.run("readelf", args);
  expect(r.exitCode, r.stderr).toBe(0);
  return r.stdout;
}

/** `[  2d]  vmlinux` lines of `readelf -p`: offset → string. */
function strings(dump: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const m of dump.matchAll(/^\s*\[\s*([0-9a-f]+)\]\s{2}(.*)$/gm)) {
    out.set(parseInt(m[1] ?? "", 16), m[2] ?? "");
  }
  return out;
}

/** The relocations of `.rela.kpatch.funcs` that point into `.kpatch.strings`: field offset → string offset. */
function stringRelocations(relocs: string): Map<number, number> {
  const section =
    /Relocation section '\.rela\.kpatch\.funcs'[^\n]*\n[^\n]*\n([\s\S]*?)(?:\n\n|$)/.exec(relocs);
  const out = new Map<number, number>();
  for (const line of (section?.[1] ?? "").split("\n")) {
    const m =
      /^([0-9a-f]+)\s+\S+\s+R_X86_64_64\s+[0-9a-f]+\s+\.kpatch\.strings \+ ([0-9a-f]+)$/.exec(
        line.trim(),
      );
    if (m) out.set(parseInt(m[1] ?? "", 16), parseInt(m[2] ?? "", 16));
  }
  return out;
}

/** Every function the module patches, as `object` (vmlinux or a module) and name, sorted. */
export async function patchedFunctions(ko: string): Promise<PatchedFunction[]> {
  const table = strings(await readelf(["-p", ".kpatch.strings", ko]));
  const relocs = stringRelocations(await readelf(["-rW", ko]));
  const entries = new Map<number, Partial<PatchedFunction>>();
  for (const [at, str] of relocs) {
    const e = entries.get(Math.floor(at / ENTRY)) ?? {};
    if (at % ENTRY === NAME) e.function = table.get(str);
    if (at % ENTRY === OBJNAME) e.object = table.get(str);
    entries.set(Math.floor(at / ENTRY), e);
  }
  const out = [...entries.values()].map((e) => ({
    object: e.object ?? "?",
    function: e.function ?? "?",
  }));
  return out.sort((a, b) => `${a.object}:${a.function}`.localeCompare(`${b.object}:${b.function}`));
}
