/**
 * `lpctl kernel prepare` for a distribution's binary kernel: no kernel is
 * compiled. Debian's packages at the pinned version give the config,
 * Module.symvers, KERNELRELEASE, the symbol table and the vmlinuz; the
 * source tree is configured once (olddefconfig, modules_prepare) so that a
 * build compiles only the objects a patch changes. Cheap checks (pins,
 * IBT, compiler, build-ids) come before the large downloads and unpacking;
 * the entry is assembled in a temp directory and renamed into place.
 */
import { copyFile, mkdir, mkdtemp, readFile, rename, rm } from "node:fs/promises";
import { basename, join } from "node:path";
import { distroPackages, type ImagePin } from "../../core/distro-target.js";
import { LpctlError } from "../../core/errors.js";
import type { KernelTarget } from "../../core/target.js";
import { kernelDirName, kernelKey } from "../cache/cache-key.js";
import { obtainDeb } from "../source/debian-source.js";
import { kpatchToolchain, type KpatchMake } from "../kpatch/kpatch-make.js";
import { acquireLock, processLockDeps } from "../cache/lock.js";
import type { PreparedKernel, PrepareOptions } from "../kernel/prepare.js";
import type { Runner } from "../runtime/runner.js";
import {
  entryPaths,
  readPrepared,
  writePrepared,
  type PreparedRecord,
} from "../cache/prepared-record.js";
import { createProgress, type Progress } from "../runtime/progress.js";
import { debianDeps } from "../source/source.js";
import { checkToolchain, compilerIdentity, enforceToolchain } from "../kernel/toolchain.js";
import { findKpatchBuild } from "../runtime/tools.js";
import {
  distroIdentity,
  extractMembers,
  resolveDistroDebs,
  type DistroDebs,
} from "./distro-debs.js";
import { readDistroFacts, writeDistroFacts } from "./distro-entry.js";
import { distroConfigFacts, type DistroConfigFacts } from "./kernel-config-checks.js";
import { configureTree, type Headers } from "./configure-tree.js";
import { extractDbgVmlinux, readImage, reduceVmlinux } from "./kernel-files.js";

/**
 * Bump when what a distro entry holds changes. distro-2: distro.json
 * records the banner the kernel prints (distro-1 recorded the weak
 * placeholder before it).
 */
const DISTRO_RECIPE = "distro-2";

export async function prepareDistro(
  target: KernelTarget,
  image: ImagePin,
  o: PrepareOptions,
): Promise<PreparedKernel> {
  const progress = createProgress(o.clock, o.print);
  if (!("debian" in target.source) || target.buildId === undefined) {
    throw new LpctlError(
      "SCHEMA_INVALID",
      `target ${target.id}: image: needs source.debian and buildId`,
    );
  }
  const pkgs = distroPackages(image, target.source.debian.package);
  const deps = debianDeps(o.runner, o.cacheDir);
  progress.phase(
    "resolve packages",
    `${pkgs.image} ${pkgs.version} (+ headers, -dbg, ${pkgs.source})`,
  );
  const debs = await resolveDistroDebs(pkgs, deps);

  progress.phase("check config and compiler", pkgs.headers);
  const kernels = join(o.cacheDir, "kernels");
  await mkdir(kernels, { recursive: true });
  const headerDir = await mkdtemp(join(kernels, ".headers-"));
  try {
    // kpatch's flags do not depend on the headers: found while they are unpacked.
    // Both settle before either's error is thrown: the finally below removes headerDir.
    const kpatchBuild = o.kpatchBuild ?? (await findKpatchBuild(process.env));
    const [tc, headers] = await bothSettled(
      kpatchToolchain(o.runner, kpatchBuild),
      obtainDeb(debs.headers, deps).then((deb) =>
        headerFiles(o.runner, deb, headerDir, pkgs.release),
      ),
    );
    const config = distroConfigFacts(
      await readFile(headers.config, "utf8"),
      `${pkgs.headers} ${pkgs.version}`,
    );
    if (target.toolchain !== config.compiler) {
      throw new LpctlError(
        "TOOLCHAIN_MISMATCH",
        `target ${target.id} pins toolchain '${target.toolchain ?? ""}', but Debian built this kernel with '${config.compiler}' ` +
          `(CONFIG_CC_VERSION_TEXT in ${pkgs.headers}); set toolchain: ${config.compiler} in its target.yaml`,
      );
    }
    const runnerCompiler = await compilerIdentity(o.runner, config.cc);
    const check = checkToolchain(config.compiler, runnerCompiler);
    enforceToolchain(check, o.allowToolchainMismatch ?? false);
    if (!check.matches) progress.line(`WARNING: toolchain mismatch allowed: ${runnerCompiler}`);

    const key = kernelKey({
      targetId: target.id,
      source: distroIdentity(debs),
      configBase: DISTRO_RECIPE,
      configText: "",
      toolchain: runnerCompiler,
      flavour: `${tc.flavour} per-object`,
      arch: target.arch,
    });
    const name = kernelDirName(target.id, key);
    const dir = join(kernels, name);
    const make: KpatchMake = {
      makeVars: [`CC=${tc.toolsDir}/kpatch-cc ${config.cc}`],
      env: { KCFLAGS: `-I${tc.dataDir}/patch ${tc.codeFlags}` },
    };
    const done = (r: PreparedRecord, cached: boolean): PreparedKernel => ({
      ...r,
      dir,
      ...entryPaths(dir),
      cached,
      kpatchCache: join(o.cacheDir, "kpatch", basename(dir)),
      make,
    });
    const hit = await usable(dir);
    if (hit) {
      await o.precheck?.(entryPaths(dir).tree);
      progress.line(`cached: ${dir}`);
      progress.end();
      return done(hit, true);
    }
    progress.phase("wait for cache lock");
    const lock = await acquireLock(join(kernels, `${name}.lock`), o.lockDeps ?? processLockDeps, {
      onWait: (pid) =>
        progress.line(`another prepare (pid ${pid}) is preparing this kernel; waiting`),
    });
    try {
      const again = await usable(dir);
      if (again) {
        await o.precheck?.(entryPaths(dir).tree);
        progress.end();
        return done(again, true);
      }
      await rm(dir, { recursive: true, force: true });
      const tmp = await mkdtemp(join(kernels, `.tmp-${name}-`));
      try {
        const ctx = {
          target,
          o,
          progress,
          debs,
          headers,
          config,
          make,
          key,
          buildId: target.buildId,
        };
        const record = await assemble(tmp, ctx, runnerCompiler);
        await rename(tmp, dir);
        progress.end();
        o.print(`prepared ${target.id} ${record.release} build-id ${record.buildId} in ${dir}`);
        return done(record, false);
      } catch (e) {
        await rm(tmp, { recursive: true, force: true });
        throw e;
      }
    } finally {
      await lock.release();
    }
  } finally {
    await rm(headerDir, { recursive: true, force: true });
  }
}

interface Ctx {
  target: KernelTarget;
  o: PrepareOptions;
  progress: Progress;
  debs: DistroDebs;
  headers: Headers;
  config: DistroConfigFacts;
  make: KpatchMake;
  key: string;
  buildId: string;
}

async function assemble(entry: string, c: Ctx, compiler: string): Promise<PreparedRecord> {
  const { o, progress, debs } = c;
  const p = entryPaths(entry);
  const deps = debianDeps(o.runner, o.cacheDir);
  await mkdir(p.pristine, { recursive: true });
  const what = (r: keyof DistroDebs) => `${debs[r].package} ${debs[r].version}`;

  progress.phase("image", what("image"));
  const image = await readImage(
    o.runner,
    {
      deb: await obtainDeb(debs.image, deps),
      scratch: join(entry, "image"),
      release: c.target.release,
      bzImageOut: join(p.pristine, "bzImage"),
      buildId: c.buildId,
      what: what("image"),
    },
    c.config,
  );

  progress.phase("-dbg vmlinux", what("dbg"));
  const dbgScratch = join(entry, "dbg");
  const full = await extractDbgVmlinux(o.runner, {
    deb: await obtainDeb(debs.dbg, deps),
    scratch: dbgScratch,
    release: c.target.release,
    buildId: image.buildId,
    what: what("dbg"),
  });

  progress.phase(
    "source and symbols",
    `${what("source")}; symbol table and struct sizes of the -dbg vmlinux`,
  );
  // The symbol work (pahole over 1.7 GB of DWARF) runs beside the source's unpacking and configuring.
  const symbols = reduceVmlinux(
    o.runner,
    full,
    { vmlinux: join(p.pristine, "vmlinux"), systemMap: join(p.pristine, "System.map") },
    c.config,
  ).finally(() => rm(dbgScratch, { recursive: true, force: true }));
  const release = await configureTree(p.tree, c).catch(async (e: unknown) => {
    await symbols.catch(() => undefined);
    throw e;
  });
  const specialEnv = await symbols;
  await copyFile(join(p.tree, ".config"), join(p.pristine, ".config"));
  await copyFile(c.headers.symvers, join(p.pristine, "Module.symvers"));
  await writeDistroFacts(p.pristine, {
    specialEnv,
    vermagic: image.vermagic,
    banner: image.banner,
    compiler: c.config.compiler,
    cc: c.config.cc,
  });
  progress.end();
  const record: PreparedRecord = {
    schema: 1,
    target: c.target.id,
    key: c.key,
    source: distroIdentity(debs),
    release,
    arch: c.target.arch,
    buildId: image.buildId,
    compiler,
    timings: { ...progress.timings },
    preparedAt: o.clock.now().toISOString(),
  };
  await writePrepared(entry, record);
  return record;
}

/**
 * The three files of the headers package a distro kernel needs, and only
 * those: unpacking all of its ~2,900 files took 1.5–3 s of every warm build.
 */
async function headerFiles(
  runner: Runner,
  deb: string,
  dir: string,
  release: string,
): Promise<Headers> {
  const h = `./usr/src/linux-headers-${release}`;
  const files = {
    config: ".config",
    kernelVariables: ".kernelvariables",
    symvers: "Module.symvers",
  };
  await extractMembers(
    runner,
    deb,
    dir,
    Object.values(files).map((f) => `${h}/${f}`),
  );
  return {
    config: join(dir, h, files.config),
    kernelVariables: join(dir, h, files.kernelVariables),
    symvers: join(dir, h, files.symvers),
  };
}

/** Both values, or the first one's error once neither is still running. */
async function bothSettled<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [ra, rb] = await Promise.allSettled([a, b]);
  if (ra.status === "rejected") throw ra.reason;
  if (rb.status === "rejected") throw rb.reason;
  return [ra.value, rb.value];
}

/** A prepared entry with its distro facts; anything less is rebuilt. */
async function usable(dir: string): Promise<PreparedRecord | undefined> {
  const hit = await readPrepared(dir);
  if (hit === undefined) return undefined;
  return (await readDistroFacts(entryPaths(dir).pristine)) === undefined ? undefined : hit;
}
