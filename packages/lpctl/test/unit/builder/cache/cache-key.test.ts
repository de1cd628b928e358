import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  kernelDirName,
  kernelKey,
  resolveCacheDir,
  type KernelKeyInput,
} from "../../../../src/builder/cache/cache-key.js";

const input: KernelKeyInput = {
  targetId: "debian-6.1-lab",
  source: "debian:linux-source-6.1=6.1.192-2",
  configBase: "tinyconfig",
  configText: "CONFIG_LIVEPATCH=y\n",
  toolchain: "gcc (Debian 12.2.0-14+deb12u1) 12.2.0",
  flavour: "kpatch-cc -ffunction-sections -fdata-sections -gz=none",
  arch: "x86_64",
};

describe("kernelKey", () => {
  it("is deterministic", () => {
    expect(kernelKey(input)).toBe(kernelKey({ ...input }));
    expect(kernelKey(input)).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each(["source", "configBase", "configText", "toolchain", "flavour", "arch"] as const)(
    "changes with %s",
    (field) => {
      expect(kernelKey({ ...input, [field]: `${input[field]}x` })).not.toBe(kernelKey(input));
    },
  );

  it("does not let one field run into the next", () => {
    const a = kernelKey({ ...input, source: "ab", configBase: "c" });
    const b = kernelKey({ ...input, source: "a", configBase: "bc" });
    expect(a).not.toBe(b);
  });

  it("names the cache entry after the target and 12 digits of the key", () => {
    expect(kernelDirName("t", "0123456789abcdef")).toBe("t-0123456789ab");
  });
});

describe("resolveCacheDir", () => {
  it("prefers --cache, then LPCTL_CACHE_DIR, then ~/.cache/livepatch-gitops", () => {
    expect(resolveCacheDir("/a", { LPCTL_CACHE_DIR: "/b" })).toBe("/a");
    expect(resolveCacheDir(undefined, { LPCTL_CACHE_DIR: "/b" })).toBe("/b");
    expect(resolveCacheDir(undefined, {})).toMatch(/\.cache\/livepatch-gitops$/);
    expect(resolveCacheDir("rel/cache", {})).toBe(join(process.cwd(), "rel/cache"));
  });
});
