/**
 * What may reach a person's terminal or a rendered page from untrusted text:
 * no control characters (ESC starts a terminal escape sequence, CR and
 * backspace overwrite what was printed), no format characters (bidirectional
 * overrides and zero-width characters make text read differently from what
 * it is), no line or paragraph separators, no lone surrogates. Pure.
 */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

/** True when `text` holds printable characters only. */
export function isPrintable(text: string): boolean {
  UNPRINTABLE.lastIndex = 0;
  return !UNPRINTABLE.test(text);
}

/**
 * `text` with every unprintable character shown as a visible escape instead:
 * `\xNN` below U+0100, `\u{NNNN}` above. File names, diff lines and titles
 * come from pull requests; printed raw, a newline or an escape sequence
 * could forge lines in a CI log or rewrite an operator's terminal.
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const n = c.codePointAt(0) ?? 0;
    return n < 0x100
      ? `\\x${n.toString(16).padStart(2, "0")}`
      : `\\u{${n.toString(16).toUpperCase().padStart(4, "0")}}`;
  });
}

/**
 * `value` as pretty JSON with every unprintable character inside a string
 * written as a `\uNNNN` escape: JSON.stringify escapes C0 controls but
 * leaves C1 controls (U+009B starts a terminal escape sequence) and
 * direction overrides raw. The document parses to the same value.
 */
export function printableJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(UNPRINTABLE, (c) =>
    // Outside strings JSON.stringify writes only newlines and spaces.
    c === "\n" ? c : `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, "0")}`,
  );
}
