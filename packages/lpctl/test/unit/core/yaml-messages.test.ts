import { beforeAll, describe, expect, it } from "vitest";
import {
  PATCH_FILE,
  PATCH_YAML,
  TARGET_YAML,
  file,
  lines,
  realSnapshot,
  textOf,
  variant,
} from "../helpers/snapshot-variant.js";

beforeAll(async () => {
  await realSnapshot();
});

const withTarget = (text: string) => variant(TARGET_YAML, file(TARGET_YAML, text));

describe("YAML problems say where and what is allowed", () => {
  it("gives the line and column of a syntax error", () => {
    const text = textOf(TARGET_YAML).replace("arch: x86_64", "arch: [x86_64");
    const [first] = lines(withTarget(text));
    expect(first).toMatch(
      /^YAML_INVALID kernels\/debian-6\.1-lab\/target\.yaml: invalid YAML at line \d+, column \d+: /,
    );
    expect(first).not.toContain("line ?");
  });

  it("reports an alias bomb for its file and keeps the other files' problems", () => {
    const bomb = [
      "a: &a [x, x, x, x, x, x, x, x, x]",
      "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]",
      "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]",
      "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c]",
      "",
    ].join("\n");
    const check = variant(
      PATCH_YAML,
      file(PATCH_YAML, bomb),
      file(PATCH_FILE.replace(".patch", ".diff"), "x"),
    );
    expect(lines(check)).toEqual(
      expect.arrayContaining([
        `YAML_INVALID ${PATCH_YAML}: aliases expand too much (a YAML alias bomb); write the values out instead of using * aliases`,
        expect.stringMatching(/^PATH_UNSAFE .*\.diff: is not read/) as unknown,
      ]),
    );
  });

  it("lists the valid bases for a misspelt one", () => {
    const text = textOf(TARGET_YAML).replace("base: tinyconfig", "base: tinyconfg");
    expect(lines(withTarget(text))).toEqual([
      `SCHEMA_INVALID ${TARGET_YAML}: config: base must be one of tinyconfig, defconfig, allnoconfig`,
    ]);
  });

  it("says to choose one source kind when two are given", () => {
    const text = textOf(TARGET_YAML).replace("source:\n", "source:\n  path: /usr/src/linux\n");
    expect(lines(withTarget(text))).toEqual([
      `SCHEMA_INVALID ${TARGET_YAML}: source: source must have exactly one kind; choose one of debian, tarball, path`,
    ]);
  });

  it("says to choose one source kind when the second comes after the first", () => {
    const text = textOf(TARGET_YAML).replace(
      /(source:\n(?: {2}.*\n)+)/,
      "$1  path: /usr/src/linux\n",
    );
    expect(text).toMatch(/version: .*\n {2}path: \/usr\/src\/linux\n/);
    expect(lines(withTarget(text))).toEqual([
      `SCHEMA_INVALID ${TARGET_YAML}: source: source must have exactly one kind; choose one of debian, tarball, path`,
    ]);
  });

  it("says to quote a number where a string is needed", () => {
    const text = textOf(TARGET_YAML).replace("release: 6.1.192", "release: 6.1");
    expect(lines(withTarget(text))).toEqual([
      `SCHEMA_INVALID ${TARGET_YAML}: release: must be a string; quote it (e.g. release: "6.1" or version: "1.0")`,
    ]);
  });
});
