import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const SRC = path.resolve(import.meta.dirname, "../../../src");
const CONFORMANCE = path.join(SRC, "conformance");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return full === CONFORMANCE ? [] : sourceFiles(full);
    return e.name.endsWith(".ts") ? [full] : [];
  });
}

/**
 * Static `import … from "…conformance…"` / `export … from`: what loads the
 * module when the forge starts. `import type` (erased) and `await import(…)`
 * (the debug mode's way) do not.
 */
export function staticConformanceImports(source: string): string[] {
  return [
    ...source.matchAll(
      /^\s*(?:import|export)\s+(?!type\b)[^;]*?\bfrom\s+["']([^"']*conformance[^"']*)["']/gm,
    ),
  ].map((m) => m[1] ?? "");
}

describe("the conformance layer stays out of the running forge", () => {
  it("recognises static imports and re-exports, not type-only or dynamic ones", () => {
    expect(staticConformanceImports('import { x } from "./conformance/index.js";')).toEqual([
      "./conformance/index.js",
    ]);
    expect(staticConformanceImports('export {\n  a,\n} from "../conformance/rest.js";')).toEqual([
      "../conformance/rest.js",
    ]);
    expect(staticConformanceImports('import type { A } from "./conformance/rest.js";')).toEqual([]);
    expect(staticConformanceImports('const m = await import("./conformance/index.js");')).toEqual(
      [],
    );
  });

  it("is imported statically by nothing in src outside packages/forge/src/conformance (the debug mode imports it dynamically)", () => {
    const offenders = sourceFiles(SRC).flatMap((file) =>
      staticConformanceImports(readFileSync(file, "utf8")).map(
        (spec) => `${path.relative(SRC, file)}: ${spec}`,
      ),
    );
    expect(offenders).toEqual([]);
  });
});
