import { describe, expect, it } from "vitest";
import { GitMemo, GitRepos, gitReadKind } from "../../src/git/repos.js";

const A = "a".repeat(40);
const B = "b".repeat(40);

describe("gitReadKind", () => {
  it.each([
    [["ls-tree", "-z", "--long", A], "objects"],
    [["ls-tree", "-z", "--long", `${A}:src/lib`, "--", "x.ts"], "objects"],
    [["cat-file", "blob", A], "objects"],
    [["cat-file", "blob", `${A}:.github/workflows/ci.yml`], "objects"],
    [["merge-base", A, B], "objects"],
    [["merge-base", "--is-ancestor", A, B], "objects"],
    [["rev-list", "--count", `${A}..${B}`], "objects"],
    [["log", "--max-count=20", "--format=%H%x00%B", A, "--not", B, "--"], "objects"],
    [["log", "--max-count=1", "--format=%H", "-1", `${A}^1`, "--", "a..b"], "objects"],
    [["rev-parse", "--verify", "--quiet", `${A}^{commit}`], "objects"],
    [["rev-parse", `${A}~2^{tree}`], "objects"],
    [["diff", "-M", "--no-color", "--no-ext-diff", A, B, "--"], "objects"],
    [
      ["diff-tree", "--root", "--no-commit-id", "-r", "--name-status", "-M", "-z", A, "--"],
      "objects",
    ],
    // Names that a push can move.
    [["rev-parse", "--verify", "--quiet", "refs/heads/main^{commit}"], "refs"],
    [["rev-parse", "--verify", "--quiet", `${A.slice(0, 12)}^{commit}`], "refs"],
    [["rev-list", "--count", `${A}..main`], "refs"],
    [["log", "--max-count=1", "--format=%H", "main"], "refs"],
    [["ls-tree", "-z", "--long", "main:src"], "refs"],
    [["for-each-ref", "--format=%(refname) %(objectname)"], "refs"],
    // git splits at ".." before it reads <rev>:<path>: "tail" would be a ref.
    [["cat-file", "blob", `${A}:a..tail`], "refs"],
    [["log", `^${A}`, B], "refs"],
    // Reads this memo does not understand.
    [["log", "--all", "--format=%H", A], "other"],
    [["log", "--format=%H %d", A], "other"],
    [["log", "--format=%H %N", A], "other"],
    [["log", "--format=%H %aN", A], "other"],
    [["log", "--format=%H %G?", A], "other"],
    [["rev-parse", "--verify"], "other"],
    [["for-each-ref", "--contains", A], "other"],
    // Anything else may change refs or objects.
    [["update-ref", "refs/heads/main", A, B], "write"],
    [["merge-tree", "--write-tree", A, B], "write"],
    [["commit-tree", A, "-p", B, "-F", "-"], "write"],
    [["hash-object", "-t", "tree", "/dev/null"], "write"],
  ])("%j is %s", (args, kind) => {
    expect(gitReadKind(args)).toBe(kind);
  });
});

describe("GitMemo", () => {
  it("drops the least recently used entry past its entry bound", () => {
    const m = new GitMemo(2, 1000, 100);
    m.set("a", 1, 1);
    m.set("b", 2, 1);
    m.get("a");
    m.set("c", 3, 1);
    expect([m.get("a")?.value, m.get("b"), m.get("c")?.value]).toEqual([1, undefined, 3]);
    expect(m.size).toBe(2);
  });

  it("drops old entries past its byte bound and never keeps an entry over its size limit", () => {
    const m = new GitMemo(100, 10, 6);
    m.set("a", "a", 4);
    m.set("b", "b", 4);
    m.set("c", "c", 4);
    expect([m.get("a"), m.get("b")?.value, m.get("c")?.value]).toEqual([undefined, "b", "c"]);
    expect(m.bytes).toBe(8);
    m.set("big", "big", 7);
    expect(m.get("big")).toBeUndefined();
    expect(m.bytes).toBe(8);
  });
});

/** GitRepos.read with a counting stand-in for git (the integration test runs real git). */
function counting(answer: () => string | undefined) {
  const git = new GitRepos("/nonexistent");
  let calls = 0;
  const read = (args: string[], repo = 1) =>
    git.read(
      repo,
      args,
      "text",
      () => {
        calls += 1;
        return Promise.resolve(answer());
      },
      (a) => (a === undefined ? undefined : a.length),
    );
  return { git, read, calls: () => calls };
}

describe("GitRepos.read", () => {
  it("keeps a successful answer about object ids, per repository", async () => {
    const c = counting(() => "out");
    await c.read(["merge-base", A, B]);
    expect(await c.read(["merge-base", A, B])).toBe("out");
    expect(c.calls()).toBe(1);
    await c.read(["merge-base", A, B], 2);
    expect(c.calls()).toBe(2);
  });

  it("does not keep a failed read", async () => {
    let answer: string | undefined = undefined;
    const c = counting(() => answer);
    expect(await c.read(["cat-file", "blob", A])).toBeUndefined();
    answer = "found";
    expect(await c.read(["cat-file", "blob", A])).toBe("found");
    expect(await c.read(["cat-file", "blob", A])).toBe("found");
    expect(c.calls()).toBe(2);
  });

  it("does not keep an answer over 1 MiB", async () => {
    const c = counting(() => "x".repeat(1024 * 1024 + 1));
    await c.read(["cat-file", "blob", A]);
    await c.read(["cat-file", "blob", A]);
    expect(c.calls()).toBe(2);
  });

  it("never keeps reads it does not understand", async () => {
    const c = counting(() => "out");
    await c.read(["log", "--all", A]);
    await c.read(["log", "--all", A]);
    expect(c.calls()).toBe(2);
  });

  it("keeps a ref answer until a write to that repository, and not across one", async () => {
    let sha = A;
    const c = counting(() => sha);
    const main = ["rev-parse", "--verify", "--quiet", "refs/heads/main^{commit}"];
    expect(await c.read(main)).toBe(A);
    expect(await c.read(main)).toBe(A);
    expect(c.calls()).toBe(1);
    // A write to another repository does not matter.
    await c.git.writing(2, () => Promise.resolve());
    await c.read(main);
    expect(c.calls()).toBe(1);
    await c.git.writing(1, () => {
      sha = B;
      return Promise.resolve();
    });
    expect(await c.read(main)).toBe(B);
    expect(c.calls()).toBe(2);
  });

  it("treats every command that is not a known read as a write", async () => {
    const c = counting(() => A);
    const main = ["rev-parse", "--verify", "--quiet", "refs/heads/main^{commit}"];
    await c.read(main);
    await c.read(["update-ref", "refs/heads/main", B, A]);
    await c.read(main);
    expect(c.calls()).toBe(3);
  });

  it("neither serves nor keeps ref answers while a write runs", async () => {
    const c = counting(() => A);
    const main = ["for-each-ref", "--format=%(refname) %(objectname)"];
    await c.read(main);
    let finish = () => {};
    const write = c.git.writing(1, () => new Promise<void>((r) => (finish = r)));
    await c.read(main);
    await c.read(main);
    expect(c.calls()).toBe(3);
    finish();
    await write;
    await c.read(main);
    await c.read(main);
    expect(c.calls()).toBe(4);
  });

  it("does not keep a ref answer when a write started while it was read", async () => {
    let release = () => {};
    let slow = true;
    const git = new GitRepos("/nonexistent");
    let calls = 0;
    const main = ["rev-parse", "--verify", "--quiet", "refs/heads/main^{commit}"];
    const read = () =>
      git.read(
        1,
        main,
        "text",
        () => {
          calls += 1;
          return slow ? new Promise<string>((r) => (release = () => r(A))) : Promise.resolve(B);
        },
        (a) => a.length,
      );
    const pending = read();
    await git.writing(1, () => Promise.resolve());
    release();
    expect(await pending).toBe(A);
    slow = false;
    expect(await read()).toBe(B);
    expect(calls).toBe(2);
  });
});
