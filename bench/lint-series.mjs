/**
 * A deterministic, realistic patch series for the lint benchmark: kernel-style
 * C files with function bodies, structs, initializers, init code and syscalls,
 * changed in many small hunks the way security backports are.
 */

/** mulberry32: a tiny seeded PRNG so every run lints exactly the same text. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DIRS = ["fs/proc", "kernel", "mm", "net/ipv4", "drivers/char", "include/linux", "lib"];

/** One hunk of a given flavour; returns its lines (with prefixes) and old/new counts. */
function hunk(rand, kind, n) {
  const fn = `lp_func_${n}`;
  const body = [];
  const ctx = (s) => body.push(` ${s}`);
  const add = (s) => body.push(`+${s}`);
  const del = (s) => body.push(`-${s}`);
  const header = {
    plain: `static int ${fn}(struct seq_file *m, void *v)`,
    init: `static int __init ${fn}(void)`,
    inline: `static inline void ${fn}(struct task_struct *p)`,
    syscall: `SYSCALL_DEFINE2(${fn}, int, a, unsigned long, b)`,
  }[kind];
  if (kind === "struct") {
    ctx(`struct lp_state_${n} {`);
    ctx("\tspinlock_t lock;");
    ctx("\tunsigned long flags;");
    add("\tbool poisoned;");
    ctx("\tstruct list_head list;");
    ctx("};");
    return body;
  }
  if (kind === "table") {
    ctx(`static const struct file_operations lp_fops_${n} = {`);
    ctx("\t.owner\t\t= THIS_MODULE,");
    del("\t.llseek\t\t= seq_lseek,");
    add("\t.llseek\t\t= noop_llseek,");
    ctx("\t.release\t= single_release,");
    ctx("};");
    return body;
  }
  ctx(header);
  ctx("{");
  ctx("\tint ret = 0;");
  const changes = 1 + Math.floor(rand() * 6);
  for (let i = 0; i < changes; i++) {
    ctx(`\tret = lp_step_${n}_${i}(m, v);`);
    if (rand() < 0.5) del(`\tif (ret)\n`.trimEnd());
    add(`\tif (ret < 0 && ret != -EAGAIN)`);
    ctx("\t\tgoto out;");
    if (rand() < 0.1) add('\tpr_warn_once("lp: retry\\n");');
    if (rand() < 0.05) add("\tif (static_branch_unlikely(&lp_key))");
    if (rand() < 0.2) ctx("\t/* keep the lock held across the retry */");
  }
  ctx("out:");
  ctx("\treturn ret;");
  ctx("}");
  return body;
}

function fileDiff(rand, path, hunks, n0) {
  const out = [`diff --git a/${path} b/${path}`, `--- a/${path}`, `+++ b/${path}`];
  let oldLine = 10 + Math.floor(rand() * 50);
  let delta = 0;
  const kinds = [
    "plain",
    "plain",
    "plain",
    "plain",
    "init",
    "inline",
    "syscall",
    "struct",
    "table",
  ];
  for (let h = 0; h < hunks; h++) {
    const kind = kinds[Math.floor(rand() * kinds.length)];
    const body = hunk(rand, kind, n0 + h);
    const oldCount = body.filter((l) => !l.startsWith("+")).length;
    const newCount = body.filter((l) => !l.startsWith("-")).length;
    const section = h > 0 && rand() < 0.7 ? ` static void lp_prev_${n0 + h}(void)` : "";
    out.push(`@@ -${oldLine},${oldCount} +${oldLine + delta},${newCount} @@${section}`, ...body);
    delta += newCount - oldCount;
    oldLine += oldCount + 20 + Math.floor(rand() * 200);
  }
  return out;
}

/** About `targetLines` lines of patches; the same text for the same seed. */
export function patchSeries(targetLines = 5000, seed = 61) {
  const rand = prng(seed);
  const patches = [];
  let lines = 0;
  let n = 0;
  for (let p = 1; lines < targetLines; p++) {
    const text = [`Subject: [PATCH ${p}] lp: backport fix ${p}`, "", "---"];
    const files = 1 + Math.floor(rand() * 3);
    for (let f = 0; f < files; f++) {
      const dir = DIRS[Math.floor(rand() * DIRS.length)];
      const ext = dir === "include/linux" ? "h" : rand() < 0.03 ? "S" : "c";
      const hunks = 2 + Math.floor(rand() * 6);
      text.push(...fileDiff(rand, `${dir}/lp_file_${p}_${f}.${ext}`, hunks, n));
      n += hunks;
    }
    lines += text.length;
    patches.push({
      path: `patches/${String(p).padStart(4, "0")}-lp-fix.patch`,
      text: text.join("\n") + "\n",
    });
  }
  return { patches, lines };
}

/** Worst case for the backwards scope scan: one new 5,000-line file in a single hunk. */
export function bigNewFile(lines = 5000) {
  const body = [];
  for (let i = 0; body.length < lines; i++) {
    body.push(
      `+static int lp_new_${i}(int a)`,
      "+{",
      "+\tif (a > 0)",
      "+\t\treturn a;",
      "+\treturn 0;",
      "+}",
      "+",
    );
  }
  body.length = lines;
  const text =
    ["--- /dev/null", "+++ b/kernel/lp_new.c", `@@ -0,0 +1,${lines} @@`, ...body].join("\n") + "\n";
  return { patches: [{ path: "big-new-file.patch", text }], lines: lines + 3 };
}

/** One 5,000-line hunk inside a single function, every `if` changed: the scope scan's worst case. */
export function longFunction(lines = 5000) {
  const body = [" static int lp_big(int a)", " {"];
  for (let i = 0; body.length < lines; i++) {
    body.push(`-\tif (a == ${i}) {`, `+\tif (a == ${i} && a > 0) {`, ` \t\ta += ${i};`, " \t}");
  }
  const oldCount = body.filter((l) => !l.startsWith("+")).length;
  const newCount = body.filter((l) => !l.startsWith("-")).length;
  const text =
    [
      "--- a/kernel/lp_big.c",
      "+++ b/kernel/lp_big.c",
      `@@ -1,${oldCount} +1,${newCount} @@`,
      ...body,
    ].join("\n") + "\n";
  return { patches: [{ path: "long-function.patch", text }], lines: body.length + 3 };
}
