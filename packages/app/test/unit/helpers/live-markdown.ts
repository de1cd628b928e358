/**
 * What of a Markdown text GitHub would render live: the text outside fenced
 * code blocks and code spans, found the CommonMark way (a fence closes only
 * with a fence at least as long, a code span only with a backtick run of
 * the same length; an unmatched run is literal). Tests assert that nothing
 * a pull request wrote is left in it.
 */
export function liveMarkdown(md: string): string {
  const out: string[] = [];
  let fence: string | undefined;
  let paragraph: string[] = [];
  const flush = () => {
    out.push(outsideSpans(paragraph.join("\n")));
    paragraph = [];
  };
  for (const line of md.split("\n")) {
    const f = /^ {0,3}(`{3,})[^`]*$/.exec(line);
    if (fence !== undefined) {
      if (f && (f[1]?.length ?? 0) >= fence.length && line.trim() === f[1]) fence = undefined;
      continue;
    }
    if (f?.[1] !== undefined) {
      flush();
      fence = f[1];
      continue;
    }
    // Code spans do not cross a blank line (a paragraph break) or a table row.
    if (line.trim() === "" || line.startsWith("|")) {
      flush();
      out.push(outsideSpans(line));
      continue;
    }
    paragraph.push(line);
  }
  flush();
  return out.join("\n");
}

function outsideSpans(text: string): string {
  let live = "";
  let i = 0;
  while (i < text.length) {
    if (text[i] === "\\" && text[i + 1] === "`") {
      live += "\\`";
      i += 2;
      continue;
    }
    if (text[i] !== "`") {
      live += text[i];
      i++;
      continue;
    }
    let n = 0;
    while (text[i + n] === "`") n++;
    const close = findRun(text, i + n, n);
    if (close === -1) {
      live += "`".repeat(n);
      i += n;
    } else i = close + n;
  }
  return live;
}

/** Index of the next backtick run of exactly `n` from `from`, or -1. */
function findRun(text: string, from: number, n: number): number {
  let i = from;
  while (i < text.length) {
    if (text[i] !== "`") {
      i++;
      continue;
    }
    let m = 0;
    while (text[i + m] === "`") m++;
    if (m === n) return i;
    i += m;
  }
  return -1;
}
