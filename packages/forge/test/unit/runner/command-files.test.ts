import { describe, expect, it } from "vitest";
import { parseKeyValueFile, parsePathFile } from "../../../src/runner/command-files.js";
import { shellArgs, shellCommand } from "../../../src/runner/shell.js";

describe("$GITHUB_OUTPUT / $GITHUB_ENV files", () => {
  it("reads name=value lines, the value keeping any further =", () => {
    expect(parseKeyValueFile("a=1\nb=x=y\n\nempty=\n", "f")).toEqual({
      a: "1",
      b: "x=y",
      empty: "",
    });
  });

  it("reads name<<DELIMITER blocks up to the line that is exactly the delimiter", () => {
    const text = "story<<EOF_1\nline one\n  EOF_1 not yet\nline=three\nEOF_1\nafter=1\n";
    expect(parseKeyValueFile(text, "f")).toEqual({
      story: "line one\n  EOF_1 not yet\nline=three",
      after: "1",
    });
  });

  it("a later value of the same name wins, CRLF lines too", () => {
    expect(parseKeyValueFile("a=1\r\na=2\r\n", "f")).toEqual({ a: "2" });
  });

  it("refuses an unterminated block and a line that is neither form", () => {
    expect(() => parseKeyValueFile("x<<END\nnever ends\n", "$GITHUB_OUTPUT")).toThrow(
      /\$GITHUB_OUTPUT line 1: matching delimiter 'END' for 'x' not found/,
    );
    expect(() => parseKeyValueFile("just text\n", "$GITHUB_ENV")).toThrow(
      /line 1: expected 'name=value'/,
    );
    expect(() => parseKeyValueFile("=v\n", "f")).toThrow(/expected/);
  });

  it("reads $GITHUB_PATH one directory a line", () => {
    expect(parsePathFile("/a/bin\n\n /b \n")).toEqual(["/a/bin", "/b"]);
  });
});

describe("shells", () => {
  it("runs scripts as GitHub's Linux runner does", () => {
    const argv = (shell: string) => {
      const c = shellCommand(shell);
      return [c.file, ...shellArgs(c, "/t/s")];
    };
    expect(argv("")).toEqual(["bash", "-e", "/t/s"]);
    expect(argv("bash")).toEqual(["bash", "--noprofile", "--norc", "-eo", "pipefail", "/t/s"]);
    expect(argv("sh")).toEqual(["sh", "-e", "/t/s"]);
    expect(argv("perl -w {0}")).toEqual(["perl", "-w", "/t/s"]);
    expect(() => shellCommand("pwsh")).toThrow(/shell 'pwsh' is not supported/);
  });
});
