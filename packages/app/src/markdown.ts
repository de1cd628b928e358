/**
 * The one way untrusted text (paths and patch ids from a pull request, a PR
 * build's report, error messages quoting either) enters the app's Markdown:
 * inside a code span or a fenced code block that the text cannot close. Code
 * renders no @mention, link, image, HTML or reference, so nothing in it
 * notifies anyone or points elsewhere. Control and format characters are
 * shown as `\u{…}` escapes. Pure.
 */
import { printable } from "@livepatch-gitops/lpctl/core/printable";

/** Plain text for a field GitHub shows as text (a check or annotation title): printable only. */
export function plain(text: string): string {
  return printable(text);
}

/** The longest run of backticks in `text`. */
function longestTicks(text: string): number {
  let max = 0;
  for (const run of text.match(/`+/g) ?? []) max = Math.max(max, run.length);
  return max;
}

/** `text` as an inline code span: its fence is longer than any backtick run inside, so it cannot be closed. */
export function code(text: string): string {
  const t = printable(text);
  if (t === "") return "` `";
  const fence = "`".repeat(longestTicks(t) + 1);
  // CommonMark strips one space on each side when both are there.
  const pad = t.startsWith("`") || t.endsWith("`") || (t.startsWith(" ") && t.endsWith(" "));
  return pad ? `${fence} ${t} ${fence}` : `${fence}${t}${fence}`;
}

/** `code(text)` for a table cell: GFM splits cells on `|` even inside code, unless escaped. */
export function cellCode(text: string): string {
  return code(text).replace(/\|/g, "\\|");
}

/** `lines` as a fenced code block whose fence no line can match. */
export function codeBlock(lines: readonly string[]): string {
  const body = lines
    .flatMap((l) => l.split(/\r\n|\n|\r/))
    .map((l) => printable(l.replace(/\t/g, "  ")));
  const fence = "`".repeat(Math.max(3, longestTicks(body.join("\n")) + 1));
  return [fence, ...body, fence].join("\n");
}
