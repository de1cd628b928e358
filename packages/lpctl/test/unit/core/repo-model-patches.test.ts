import { beforeAll, describe, expect, it } from "vitest";
import { checkRepository } from "../../../src/core/repo-model.js";
import {
  PATCH_FILE,
  PATCH_YAML,
  file,
  lines,
  realSnapshot,
  textOf,
  variant,
} from "../helpers/snapshot-variant.js";

beforeAll(async () => {
  await realSnapshot();
});

const withPatch = (text: string) => variant(PATCH_FILE, file(PATCH_FILE, text));

const HUNK = "@@ -1 +1 @@\n-old\n+new\n";

describe("checkRepository: patch files", () => {
  it("requires at least one *.patch file", () => {
    expect(lines(variant(PATCH_FILE, null))).toEqual([
      "FILE_MISSING patches/cmdline-banner: has no *.patch file (a directory without one may only declare notLivePatchable records)",
    ]);
  });

  it("refuses a file that is not a unified diff", () => {
    expect(lines(withPatch("just some text\n"))).toEqual([
      `PATCH_INVALID ${PATCH_FILE}: not a unified diff: no '---'/'+++' file headers found`,
    ]);
  });

  it("refuses CRLF line endings with a message that says so", () => {
    expect(lines(withPatch(textOf(PATCH_FILE).replaceAll("\n", "\r\n")))).toEqual([
      `PATCH_INVALID ${PATCH_FILE}: has CRLF line endings; write it with LF`,
    ]);
  });

  it("names the line of a malformed hunk", () => {
    const text = "--- a/f.c\n+++ b/f.c\n@@ -1,2 +1,2 @@\n-old\n+new\n";
    expect(lines(withPatch(text))).toEqual([
      `PATCH_INVALID ${PATCH_FILE}: line 5: hunk ends early: expected 1 more old and 1 more new lines`,
    ]);
  });

  it("refuses a patch over 8 MiB by its size alone", () => {
    // The reader leaves `text` out for a file over its limit; only the size is known.
    const check = variant(PATCH_FILE, { path: PATCH_FILE, size: 50 * 1024 * 1024 });
    expect(lines(check)).toEqual([`FILE_TOO_LARGE ${PATCH_FILE}: is 50.0 MiB; the limit is 8 MiB`]);
  });

  it("refuses binary content and git binary diffs", () => {
    expect(lines(variant(PATCH_FILE, { path: PATCH_FILE, size: 10 }))).toEqual([
      `PATCH_INVALID ${PATCH_FILE}: is a binary file, not a text diff`,
    ]);
    expect(lines(withPatch("--- a/f.c\n+++ b/f.c\n@@ -1 +1 @@\n-a\0\n+b\n"))[0]).toContain(
      "is a binary file",
    );
    const gitBinary =
      "diff --git a/fw.bin b/fw.bin\nindex 1..2 100644\nGIT binary patch\nliteral 3\nKcmZ?d\n";
    expect(lines(withPatch(gitBinary))).toEqual([
      `PATCH_INVALID ${PATCH_FILE}: line 3: binary change to 'fw.bin': only source can be live-patched`,
    ]);
  });

  it.each([
    ["a/../../etc/passwd", "path 'a/../../etc/passwd' has a '..' component"],
    ["a/fs/../../x.c", "path 'a/fs/../../x.c' has a '..' component"],
    ["/etc/passwd", "path '/etc/passwd' is absolute"],
    ["a//etc/passwd", "path 'a//etc/passwd' is absolute after -p1"],
    [
      "cmdline.c",
      "path 'cmdline.c' has nothing left after patch -p1 strips its first component; name the file with a leading directory, as git diff (a/PATH b/PATH) or diff -Nupr (src.orig/PATH src/PATH) write it",
    ],
    [
      "a/",
      "path 'a/' has nothing left after patch -p1 strips its first component; name the file with a leading directory, as git diff (a/PATH b/PATH) or diff -Nupr (src.orig/PATH src/PATH) write it",
    ],
    ["a/fs\x1b[2J.c", "path '\"a/fs\\u001b[2J.c\"' contains control characters"],
    [
      "a/fs/cmd\u202eline.c",
      "path '\"a/fs/cmd\\u{202E}line.c\"' contains invisible or direction-changing characters",
    ],
    [
      "a/fs\u009b2J.c",
      "path '\"a/fs\\x9b2J.c\"' contains invisible or direction-changing characters",
    ],
  ])("refuses the unsafe path %j", (path, message) => {
    const text = `--- ${path}\n+++ ${path.replace(/^a\//, "b/")}\n${HUNK}`;
    expect(lines(withPatch(text))).toContain(`PATH_UNSAFE ${PATCH_FILE}: line 1: ${message}`);
  });

  it("checks the paths of a git header too", () => {
    const text = `diff --git a/../x.c b/../x.c\n--- a/x.c\n+++ b/x.c\n${HUNK}`;
    expect(lines(withPatch(text))).toEqual([
      `PATH_UNSAFE ${PATCH_FILE}: line 2: path 'a/../x.c' has a '..' component`,
      `PATH_UNSAFE ${PATCH_FILE}: line 2: path 'b/../x.c' has a '..' component`,
    ]);
  });

  it("refuses git renames, which patch(1) performs without any hunk", () => {
    const text = `diff --git a/x.c b/y.c\nsimilarity index 100%\nrename from x.c\nrename to y.c\n`;
    expect(lines(withPatch(text))).toEqual([
      `PATCH_INVALID ${PATCH_FILE}: line 3: git rename is not supported in a live patch`,
    ]);
  });

  it("refuses a patch file name that is not plain", () => {
    const odd = file("patches/cmdline-banner/-x.patch", textOf(PATCH_FILE));
    expect(lines(variant(undefined, null, odd))).toEqual([
      "PATH_UNSAFE patches/cmdline-banner/-x.patch: patch file names must match [A-Za-z0-9][A-Za-z0-9._+-]*.patch",
    ]);
  });
});

describe("checkRepository: directories", () => {
  it("refuses directory names that are not safe ids, naming the path", () => {
    const bad = "patches/foo;rm -rf";
    const check = variant(
      undefined,
      null,
      { path: bad, kind: "dir", size: 0 },
      file(`${bad}/patch.yaml`, textOf(PATCH_YAML)),
    );
    expect(lines(check)).toEqual([
      `ID_INVALID ${bad}: directory name is not a valid id: 'foo;rm -rf' must match [a-z0-9][a-z0-9._-]*`,
    ]);
  });

  it("refuses file names with control characters, printing them escaped", () => {
    const check = variant(undefined, null, file("patches/cmdline-banner/x\nFAKE: ok.patch", "x"));
    expect(lines(check)).toEqual([
      "PATH_UNSAFE patches/cmdline-banner/x\\x0aFAKE: ok.patch: file name contains control characters",
    ]);
  });

  it("refuses symlinks and special files", () => {
    const check = variant(
      undefined,
      null,
      { path: "patches/cmdline-banner/0002-x.patch", kind: "symlink", size: 0 },
      { path: "kernels/fifo", kind: "other", size: 0 },
    );
    expect(lines(check)).toEqual([
      "PATH_UNSAFE kernels/fifo: is not a regular file or directory",
      "PATH_UNSAFE patches/cmdline-banner/0002-x.patch: is a symbolic link; kernels/ and patches/ may hold only plain files",
    ]);
  });

  it("refuses nested directories once and duplicate entries", () => {
    const check = variant(
      undefined,
      null,
      { path: "patches/cmdline-banner/sub", kind: "dir", size: 0 },
      file("patches/cmdline-banner/sub/0002.patch", textOf(PATCH_FILE)),
      file(PATCH_YAML, textOf(PATCH_YAML)),
    );
    expect(lines(check)).toEqual([
      `REPO_INVALID ${PATCH_YAML}: listed twice in the snapshot`,
      "REPO_INVALID patches/cmdline-banner/sub: unexpected subdirectory: files go directly in patches/<id>/",
    ]);
  });

  it("ignores plain files directly in kernels/ and patches/", () => {
    expect(variant(undefined, null, file("patches/README.md", "hi")).problems).toEqual([]);
  });

  it("refuses kernels/ or patches/ that is not a directory", () => {
    const check = checkRepository([
      file("kernels", "x"),
      { path: "patches", kind: "dir", size: 0 },
    ]);
    expect(lines(check)).toEqual(["REPO_INVALID kernels: must be a directory"]);
  });

  it("says when there is nothing to check", () => {
    expect(lines(checkRepository([]))).toEqual([
      "REPO_INVALID .: no kernels/ or patches/ directory: is this a livepatch-gitops repository?",
    ]);
  });

  it("reports files with other extensions instead of leaving them out of the build", () => {
    const dir = PATCH_FILE.slice(0, PATCH_FILE.lastIndexOf("/"));
    const text = textOf(PATCH_FILE);
    const extra = ["0002-x.diff", "0003-x.PATCH", "0001-x.patch.orig"].map((n) =>
      file(`${dir}/${n}`, text),
    );
    expect(lines(variant(undefined, null, ...extra))).toEqual(
      extra
        .map(
          (e) =>
            `PATH_UNSAFE ${e.path}: is not read: a patch directory holds only patch.yaml and *.patch files; rename it to .patch or remove it`,
        )
        .sort(),
    );
  });

  it.each([
    ["git", "a/fs/proc/cmdline.c", "b/fs/proc/cmdline.c"],
    [
      "diff -Nupr",
      "src.orig/fs/proc/cmdline.c\t2026-12-01 10:00:00.000000000 +0000",
      "src/fs/proc/cmdline.c\t2026-12-01 10:05:00.000000000 +0000",
    ],
    ["another first directory", "linux-6.1.orig/fs/proc/cmdline.c", "linux-6.1/fs/proc/cmdline.c"],
    ["a new file", "/dev/null", "src/fs/proc/new.c"],
  ])("accepts %s headers: patch -p1 strips any first directory", (_style, oldPath, newPath) => {
    const text = `Index: fs/proc/cmdline.c\n===\n--- ${oldPath}\n+++ ${newPath}\n${HUNK}`;
    expect(lines(withPatch(text))).toEqual([]);
  });

  it("refuses sides that name different files once -p1 strips them", () => {
    const text = textOf(PATCH_FILE).replace(/^\+\+\+ b\/(\S+)/m, "+++ b/$1.new");
    expect(lines(withPatch(text))[0]).toMatch(
      new RegExp(
        `^PATCH_INVALID ${PATCH_FILE}: line \\d+: 'a/[^']+' and 'b/[^']+\\.new' name different files after patch -p1 strips their first component`,
      ),
    );
  });

  it("refuses -p0 header paths (git diff --no-prefix), which patch -p1 would misread", () => {
    const text = textOf(PATCH_FILE).replaceAll(" a/", " ").replaceAll(" b/", " ");
    expect(lines(withPatch(text))[0]).toMatch(
      new RegExp(
        `^PATCH_INVALID ${PATCH_FILE}: line \\d+: path '[^']+' has no leading directory: patch -p1 would strip`,
      ),
    );
  });
});

describe("checkRepository: a withdrawn patch", () => {
  const withdrawn = (extra: string) =>
    variant(PATCH_YAML, file(PATCH_YAML, `${textOf(PATCH_YAML)}${extra}`));

  it("is valid, targets nothing, and keeps its reason", () => {
    const check = withdrawn('withdrawn:\n  reason: "hangs the transition on busy hosts"\n');
    expect(lines(check)).toEqual([]);
    const p = check.patches.find((x) => x.id === "cmdline-banner");
    expect(p?.targets).toEqual([]);
    expect(p?.withdrawn?.reason).toBe("hangs the transition on busy hosts");
  });

  it("may still name a kernel target deleted since: its kernels are history", () => {
    const text = textOf(PATCH_YAML).replace('kernels: ["debian-*"]', "kernels: [gone-1]");
    const check = variant(PATCH_YAML, file(PATCH_YAML, `${text}withdrawn: {reason: gone}\n`));
    expect(lines(check)).toEqual([]);
  });

  it("needs a printable reason", () => {
    expect(lines(withdrawn("withdrawn: {}\n"))).toEqual([
      `SCHEMA_INVALID ${PATCH_YAML}: withdrawn.reason: must be a string`,
    ]);
    expect(lines(withdrawn('withdrawn: {reason: "a\\u001b[2Jb"}\n'))[0]).toMatch(
      /withdrawn\.reason: must hold printable characters only/,
    );
  });
});
