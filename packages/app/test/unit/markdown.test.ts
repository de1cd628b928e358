import { describe, expect, it } from "vitest";
import { cellCode, code, codeBlock, plain } from "../../src/markdown.js";
import { liveMarkdown } from "./helpers/live-markdown.js";

describe("markdown escaping", () => {
  it("a code span outlasts every backtick run inside it", () => {
    for (const t of ["a`b", "``x``", "`", "x ```` y", "` lead", "trail `"]) {
      const md = `before ${code(t)} after`;
      expect(liveMarkdown(md)).toBe("before  after");
    }
    expect(code("plain")).toBe("`plain`");
  });

  it("a code block outlasts every fence inside it", () => {
    const md = `${codeBlock(["```", "@acme/admins", "`````", "[x](https://evil.test)"])}\n\nlive`;
    expect(liveMarkdown(md).trim()).toBe("live");
  });

  it("control and format characters are shown, not passed on", () => {
    expect(code("a\u001b[2Jb")).toBe("`a\\x1b[2Jb`");
    expect(plain("x\u202Ey\r\nz")).toBe("x\\u{202E}y\\x0d\\x0az");
    expect(codeBlock(["a\tb\u0007"])).toBe("```\na  b\\x07\n```");
  });

  it("a table cell escapes the pipe, inside code too", () => {
    expect(cellCode("a|b")).toBe("`a\\|b`");
  });
});
