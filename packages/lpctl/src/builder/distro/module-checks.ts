/**
 * Checks the kpatch-build script makes that a direct pipeline must redo,
 * plus the ones that make a module loadable on a kernel built elsewhere:
 * the compiler of each object against the kernel's, and the finished
 * module's vermagic, imported symbols and their CRCs against the kernel's
 * own (Debian's, or the lab build's).
 */
import { readFile } from "node:fs/promises";
import { LpctlError } from "../../core/errors.js";
import type { Runner } from "../runtime/runner.js";

/** The first `GCC: …` string in an ELF file's .comment (kpatch-build's gcc_version_from_file). */
export async function gccComment(runner: Runner, file: string): Promise<string | undefined> {
  const r = await runner.run("readelf", ["-p", ".comment", file]);
  return /GCC:.*$/m.exec(r.stdout)?.[0]?.trim();
}

/** A compiled object must come from the compiler that built vmlinux (kpatch-build's compiler check). */
export async function checkObjectCompiler(
  runner: Runner,
  object: string,
  vmlinux: string,
): Promise<void> {
  const [mine, kernel] = [await gccComment(runner, object), await gccComment(runner, vmlinux)];
  if (mine === undefined || mine !== kernel) {
    throw new LpctlError(
      "TOOLCHAIN_MISMATCH",
      `${object} was compiled by '${mine ?? "?"}' but the kernel by '${kernel ?? "?"}': ` +
        `a live patch must be compiled by the kernel's exact compiler; install it (see docs/building.md, "Compiler pins")`,
      { details: { object: mine ?? null, kernel: kernel ?? null } },
    );
  }
}

/** `0xCRC sym` pairs of `Module.symvers` (CRC, symbol, module, export type[, namespace]). */
export function parseSymvers(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split("\n")) {
    const [crc, sym] = line.split("\t");
    if (crc !== undefined && sym !== undefined && /^0x[0-9a-f]+$/.test(crc)) out.set(sym, crc);
  }
  return out;
}

/** `modprobe --dump-modversions` lines: `0xCRC\tsym`. */
export function parseModversions(text: string): { crc: string; sym: string }[] {
  return text
    .split("\n")
    .map((l) => l.trim().split(/\s+/))
    .filter((p): p is [string, string] => p.length === 2 && /^0x[0-9a-f]+$/.test(p[0] ?? ""))
    .map(([crc, sym]) => ({ crc, sym }));
}

/** Symbols the module leaves undefined (the kernel resolves them at load; klp relocations are not UND). */
export function undefinedSymbols(readelfSymbols: string): string[] {
  const out: string[] = [];
  for (const line of readelfSymbols.split("\n")) {
    const f = line.trim().split(/\s+/);
    // Num: Value Size Type Bind Vis Ndx Name
    if (f.length >= 8 && f[6] === "UND" && f[7] !== undefined) out.push(f[7]);
  }
  return out;
}

/**
 * What decides whether the target kernel loads the module: its vermagic,
 * every symbol it imports exported by vmlinux and, on a kernel with
 * MODVERSIONS (Debian's), each import's CRC as in the kernel's
 * Module.symvers (the kernel compares them at load).
 */
export async function checkModuleAbi(
  runner: Runner,
  ko: string,
  debian: { vermagic: string; symvers: string; modversions: boolean },
): Promise<void> {
  const refuse = (why: string, details: Record<string, unknown>) =>
    new LpctlError(
      "MODULE_ABI_MISMATCH",
      `the built module would not load into the target kernel: ${why}`,
      {
        details,
      },
    );
  const vermagic = (await runner.run("modinfo", ["-F", "vermagic", ko])).stdout.trim();
  if (vermagic !== debian.vermagic.trim()) {
    throw refuse(`vermagic '${vermagic}', the kernel's modules have '${debian.vermagic.trim()}'`, {
      vermagic,
    });
  }
  const exported = parseSymvers(await readFile(debian.symvers, "utf8"));
  if (debian.modversions) {
    const dump = await runner.run("modprobe", ["--dump-modversions", ko]);
    const versions = parseModversions(dump.stdout);
    const wrong = versions.filter((v) => exported.get(v.sym) !== v.crc);
    if (dump.exitCode !== 0 || wrong.length > 0) {
      throw refuse(
        `imported symbol versions differ from the kernel's Module.symvers: ` +
          wrong
            .map((w) => `${w.sym} ${w.crc} (kernel: ${exported.get(w.sym) ?? "not exported"})`)
            .join(", "),
        { wrong },
      );
    }
  }
  const syms = await runner.run("readelf", ["-s", "--wide", ko]);
  const missing = undefinedSymbols(syms.stdout).filter((s) => !exported.has(s));
  if (missing.length > 0) {
    throw refuse(`it needs symbols the kernel does not export: ${missing.join(", ")}`, {
      missing,
    });
  }
}
