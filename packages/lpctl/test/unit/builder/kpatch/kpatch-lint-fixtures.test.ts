/**
 * The build and the review must name the same rule: for every lint fixture,
 * the kpatch-build line its refusal produces maps (matchKpatchRule) to the
 * rule the linter reports for that fixture, and a failed build's advice is
 * that rule's own finding.
 *
 * Where the lines come from: the init-code pair is real end to end (the
 * builder fixture patch version-init and packages/lpctl/test/fixtures/kpatch-logs/*init-
 * refused.log, captured from kpatch-build runs on the lab kernel). For the
 * other fixtures the line is kpatch-build's / create-diff-object's message
 * format (kpatch 0.9.x: kpatch_verify_patchability, the static-local,
 * jump-label and fentry checks, kpatch-build's path and symvers checks)
 * filled in with the fixture's object, function and symbol names.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { classifyFailure } from "../../../../src/builder/kpatch/build-failure.js";
import { matchKpatchRule } from "../../../../src/builder/kpatch/kpatch-errors.js";
import { parseKpatchOutput } from "../../../../src/builder/kpatch/kpatch-output.js";
import { lintPatch } from "../../../../src/core/lint/lint.js";
import type { LivePatch } from "../../../../src/core/patch-meta.js";

const FIXTURES = join(import.meta.dirname, "../../../fixtures");
const LINT = join(FIXTURES, "lint");

/** kpatch-build's refusal (or warning) per lint fixture; null: kpatch-build accepts it. */
const KPATCH_LINES: Record<string, string[] | null> = {
  "init-code": ["cmdline.o: changed section .init.text not selected for inclusion"],
  "static-initializer-change": [
    "vmscan.o: changed section .data.vm_swappiness not selected for inclusion",
  ],
  "once-macro": [
    "cmdline.o: WARNING: unable to correlate static local variable __already_done.0 used by cmdline_proc_show, assuming variable is new",
    "cmdline.o: data section .data.once selected for inclusion",
  ],
  "static-local-removed": [
    "ERROR: smp.o: reference to static local variable warned.0 in __flush_smp_call_function_queue was removed",
  ],
  "inline-function-change": [
    "array.o: function task_core_dumping doesn't have patchable function entry, unable to patch",
  ],
  "syscall-define": [
    "sys.o: function __do_sys_umask doesn't have patchable function entry, unable to patch",
  ],
  "jump-label-or-static-call": [
    "cmdline.o: Found a jump label at cmdline_proc_show()+0x9, using key proc_cmdline_hidden_key.  Jump labels aren't supported with this kernel.  Use static_key_enabled() instead.",
  ],
  "unsupported-path": [
    "ERROR: 0001-unsupported-path.patch: unsupported patch to lib/: lib/string_helpers.c",
  ],
  "include-added": ["ERROR: Version disagreement for symbol saved_command_line"],
  "untraceable-function": ["common.o: changed section .noinstr.text not selected for inclusion"],
  // kpatch-build builds these; only the review sees the danger.
  "data-structure-change": null,
  "signature-change": null,
  "header-change": null,
  "function-removed": null,
  "new-exported-symbol": null,
  "context-unknown": null,
  "comment-only": null,
  "plain-body-change": null,
};

const fixtures = readdirSync(LINT)
  .filter((n) => n.endsWith(".patch"))
  .map((n) => n.replace(/\.patch$/, ""));

function asPatch(id: string, path: string): LivePatch {
  const text = readFileSync(path, "utf8");
  return {
    id,
    title: id,
    description: id,
    cves: [],
    notLivePatchable: [],
    kernels: ["k"],
    targets: ["k"],
    files: [{ path, text }],
  };
}

function lintRules(p: LivePatch): string[] {
  return [...new Set(p.files.flatMap((f) => lintPatch(f.path, f.text).map((x) => x.rule)))];
}

describe("kpatch-build refusals name the lint's rule, per lint fixture", () => {
  it("every lint fixture has a kpatch-build entry here", () => {
    expect(Object.keys(KPATCH_LINES).sort()).toEqual([...fixtures].sort());
  });

  const refused = fixtures.filter((f) => KPATCH_LINES[f] != null);
  it.each(refused)("%s", (name) => {
    const lines = KPATCH_LINES[name] ?? [];
    const patch = asPatch(name, join(LINT, `${name}.patch`));
    const lint = lintRules(patch);
    expect(lint).toHaveLength(1);
    expect(matchKpatchRule(lines)?.rule).toBe(lint[0]);
    // The failure's advice is the linter's own finding for that rule.
    const finding = lintPatch(patch.files[0]?.path ?? "", patch.files[0]?.text ?? "")[0];
    const f = classifyFailure(lines, parseKpatchOutput(lines.join("\n")), [patch], new Map());
    expect(f.rule).toBe(lint[0]);
    expect(f.message).toContain(finding?.message ?? "?");
  });
});

describe("real kpatch-build logs", () => {
  const patch = asPatch(
    "version-init",
    join(FIXTURES, "builder/patches/version-init/0001-version-init.patch"),
  );
  const initFixture = asPatch("init-code", join(LINT, "init-code.patch"));
  it.each(["init-refused.log", "lpctl-init-refused.log"])(
    "%s (.init.text refused) is the rule the linter gives the init-code fixture",
    (log) => {
      const text = readFileSync(join(FIXTURES, "kpatch-logs", log), "utf8");
      const lines = text.split("\n").filter((l) => l !== "");
      const f = classifyFailure(lines, parseKpatchOutput(text), [patch], new Map());
      expect(f).toMatchObject({ code: "KPATCH_BUILD_FAILED", patch: "version-init" });
      expect(f.rule).toBe(lintRules(initFixture)[0]);
      // version-init's hunk header names no function, so the linter could only
      // say context-unknown: no init-code finding to quote, the docs instead.
      expect(lintRules(patch)).toEqual(["context-unknown"]);
      expect(f.message).toMatch(/lint rule init-code; see docs\/lint-rules\.md for what to do$/);
    },
  );

  it.each(["not-code-kbuild", "not-code-kconfig"])(
    "%s (kbuild's probes fail kpatch-build) quotes the lint's unsupported-path finding",
    (name) => {
      const text = readFileSync(join(FIXTURES, "kpatch-logs/lint", `${name}.log`), "utf8");
      const lines = text.split("\n").filter((l) => l !== "");
      const p = asPatch(name, join(FIXTURES, "lint-src/cases", `${name}.patch`));
      const f = classifyFailure(lines, parseKpatchOutput(text), [p], new Map());
      expect(f.rule).toBe("unsupported-path");
      expect(f.message).toContain("Kconfig change: a live patch cannot change the configuration");
    },
  );

  it("successful and apply-failure logs name no rule", () => {
    for (const log of [
      "cold.log",
      "warm.log",
      "lpctl-cumulative-success.log",
      "lpctl-apply-failed.log",
    ]) {
      const text = readFileSync(join(FIXTURES, "kpatch-logs", log), "utf8");
      expect([log, matchKpatchRule(text.split("\n"))?.rule]).toEqual([log, undefined]);
    }
  });
});

/**
 * The same agreement on kpatch-build's real output: each refusal recorded
 * on the lab target (packages/lpctl/test/fixtures/kpatch-logs/lint/, with the rule the lint
 * reports for that patch, see packages/lpctl/test/unit/core/lint/kpatch-confirmed.test.ts)
 * maps to that rule.
 */
const REAL_REFUSALS: [log: string, rule: string][] = [
  ["init-split-declaration", "init-code"],
  ["define-macro-local", "static-initializer-change"],
  ["static-local-removed-above-context", "static-local-removed"],
  ["unsupported-path", "unsupported-path"],
  ["new-exported-symbol", "new-exported-symbol"],
];

describe("real kpatch-build refusals map to the rule the lint reports", () => {
  it.each(REAL_REFUSALS)("%s → %s", (log, rule) => {
    const text = readFileSync(join(FIXTURES, "kpatch-logs/lint", `${log}.log`), "utf8");
    expect(text).not.toMatch(/^SUCCESS$/m);
    expect(matchKpatchRule(text.split("\n"))?.rule).toBe(rule);
  });
});
