/**
 * Debian's source configured as Debian built it: the headers package's
 * .config, .kernelvariables and Module.symvers, then olddefconfig and
 * modules_prepare, ready for single-object makes.
 */
import { copyFile, readFile, rm, writeFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { LpctlError } from "../../core/errors.js";
import type { KernelTarget } from "../../core/target.js";
import { kernelMake } from "../kernel/kernel-make.js";
import type { KpatchMake } from "../kpatch/kpatch-make.js";
import type { PrepareOptions } from "../kernel/prepare.js";
import { debianDeps, fetchSource } from "../source/source.js";
import { distroIdentity, type DistroDebs } from "./distro-debs.js";

/** Paths of the headers package's files. */
export interface Headers {
  config: string;
  kernelVariables: string;
  symvers: string;
}

export interface TreeInputs {
  target: KernelTarget;
  o: PrepareOptions;
  debs: DistroDebs;
  headers: Headers;
  make: KpatchMake;
}

/** The source with Debian's config, symbol versions and KERNELRELEASE, ready for single-object makes. */
export async function configureTree(tree: string, c: TreeInputs): Promise<string> {
  const { o, debs } = c;
  const deps = debianDeps(o.runner, o.cacheDir);
  const source = { identity: distroIdentity(debs), debian: debs.source };
  await fetchSource(o.runner, c.target.source, source, {
    repoDir: o.repoDir,
    tree,
    scratch: join(tree, "..", "download"),
    debian: deps,
  });
  await rm(join(tree, "..", "download"), { recursive: true, force: true });
  // Debian's key path (output/signing_key.pem) is a plain make dependency;
  // the default path is generated instead. Nothing here is signed with it.
  const config = (await readFile(c.headers.config, "utf8")).replace(
    /^CONFIG_MODULE_SIG_KEY=.*$/m,
    'CONFIG_MODULE_SIG_KEY="certs/signing_key.pem"',
  );
  await writeFile(join(tree, ".config"), config);
  // KERNELRELEASE and CC as Debian set them (`-include .kernelvariables` in its Makefile).
  await copyFile(c.headers.kernelVariables, join(tree, ".kernelvariables"));
  await copyFile(c.headers.symvers, join(tree, "Module.symvers"));
  await o.precheck?.(tree);
  await kernelMake(o.runner, tree, ["olddefconfig"]);
  const jobs = o.jobs ?? availableParallelism();
  // With the build's own CC and KCFLAGS, so the first object build recompiles nothing else.
  await kernelMake(o.runner, tree, [...c.make.makeVars, `-j${jobs}`, "modules_prepare"], {
    env: c.make.env,
  });
  // `make kernelrelease` prints the tree's own 6.1.192; what modules get
  // (vermagic, UTS_RELEASE) is .kernelvariables' KERNELRELEASE.
  return utsRelease(tree, c.target);
}

async function utsRelease(tree: string, target: KernelTarget): Promise<string> {
  const h = await readFile(join(tree, "include", "generated", "utsrelease.h"), "utf8");
  const release = /UTS_RELEASE "([^"]+)"/.exec(h)?.[1];
  if (release !== target.release) {
    throw new LpctlError(
      "KERNEL_BUILD_FAILED",
      `the configured tree's UTS_RELEASE is '${release ?? "?"}' but target ${target.id} says '${target.release}': ` +
        `modules built from it would not load; the headers package's .kernelvariables should set KERNELRELEASE`,
      { details: { release: release ?? null, expected: target.release } },
    );
  }
  return release;
}
