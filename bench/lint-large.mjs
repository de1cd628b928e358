/**
 * Hostile-input shapes for the lint benchmark: one file of many small hunks
 * that each name a function, a static local, an export and an include (the
 * cross-hunk lookups that used to make lint quadratic), and hunks without
 * any section text, grown to a target size.
 */

/** One hunk per call; every name is unique so no lookup can short-circuit. */
function hunk(i, oldStart, newStart, section) {
  const lines = [
    ` static int cnt_${i};`,
    `\tint a_${i};`,
    `\tstatic int seen_${i};`,
    `\tif (x_${i})`,
    `-\t\treturn seen_${i} + ${i};`,
    `+\t\treturn ${i};`,
    ` EXPORT_SYMBOL(fn_${i});`,
    `+EXPORT_SYMBOL(fn_new_${i});`,
    ` #include <linux/x_${i}.h>`,
  ];
  const fixed = lines.map((l) => (/^[ +-]/.test(l) ? l : ` ${l}`));
  const old = fixed.filter((l) => l[0] !== "+").length;
  const neu = fixed.filter((l) => l[0] !== "-").length;
  const head = `@@ -${oldStart},${old} +${newStart},${neu} @@${section ? ` ${section}` : ""}`;
  return { text: [head, ...fixed].join("\n") + "\n", old, neu };
}

/** A single-file patch of about `bytes` bytes made of many hunks. */
export function manyHunks(bytes) {
  let text = "diff --git a/kernel/foo.c b/kernel/foo.c\n--- a/kernel/foo.c\n+++ b/kernel/foo.c\n";
  let oldAt = 1;
  let newAt = 1;
  let hunks = 0;
  for (let i = 0; text.length < bytes - 512; i++) {
    const section = i % 3 === 0 ? "" : `static int __init fn_${i}(void)`;
    const h = hunk(i, oldAt, newAt, section);
    text += h.text;
    oldAt += h.old + 5;
    newAt += h.neu + 5;
    hunks++;
  }
  return { patches: [{ path: "many-hunks.patch", text }], lines: text.split("\n").length, hunks };
}
