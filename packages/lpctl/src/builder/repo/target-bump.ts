/**
 * `lpctl target bump ID`: moves a Debian-sourced kernel target to the newest
 * version its apt sources offer (or a chosen one), with its release string,
 * and reports which of its patches no longer apply to the new source. What
 * a maintainer runs when Debian ships a kernel update; the report is what
 * the reviewer of that change needs.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { LpctlError } from "../../core/errors.js";
import { bumpRelease, kernelVersionFromMakefile } from "../../core/kernel-version.js";
import type { LivePatch } from "../../core/patch-meta.js";
import type { KernelTarget } from "../../core/target.js";
import { writeFileAtomic } from "../../io/atomic-write.js";
import { obtainDeb, resolveDebianSource, type DebianSourceDeps } from "../source/debian-source.js";
import { dryRunPatch, type DryRunResult } from "../source/patch-dry-run.js";
import type { Runner } from "../runtime/runner.js";
import { unpackDeb } from "../source/source.js";

export interface BumpOptions {
  runner: Runner;
  debian: DebianSourceDeps;
  repoDir: string;
  /** Scratch space for the unpacked new source (removed afterwards). */
  scratchDir: string;
  /** A version to move to instead of the newest. */
  to?: string;
  /** Report only; leave target.yaml as it is. */
  dryRun?: boolean;
  print: (line: string) => void;
}

export interface BumpResult {
  target: string;
  package: string;
  from: { version: string | null; release: string };
  to: { version: string; release: string; sha256: string };
  changed: boolean;
  written: boolean;
  patches: DryRunResult[];
}

export async function bumpTarget(
  target: KernelTarget,
  patches: readonly LivePatch[],
  o: BumpOptions,
): Promise<BumpResult> {
  if (!("debian" in target.source)) {
    throw new LpctlError(
      "USAGE",
      `kernel target '${target.id}' does not come from a Debian source package; only source.debian targets can be bumped`,
    );
  }
  if (target.image !== undefined) {
    // A new Debian kernel is a new image package (new ABI name, new build-id): a new target.
    throw new LpctlError(
      "USAGE",
      `kernel target '${target.id}' is Debian's binary kernel ${target.image.debian.package} ${target.image.debian.version}; ` +
        `a newer Debian kernel is another image package with another build-id, so add a new target for it ` +
        `(kernels/<id>/target.yaml pinned to the new image) instead of bumping this one`,
    );
  }
  const pkg = target.source.debian.package;
  const next = await resolveDebianSource({ package: pkg, version: o.to }, o.debian);
  const deb = await obtainDeb(next, o.debian);
  const work = await mkdtemp(join(o.scratchDir, "bump-"));
  try {
    const tree = join(work, "tree");
    o.print(`unpacking ${pkg} ${next.version}`);
    await unpackDeb(o.runner, deb, tree, join(work, "scratch"));
    const version = kernelVersionFromMakefile(await readFile(join(tree, "Makefile"), "utf8"));
    if (!version) {
      throw new LpctlError("SOURCE_UNAVAILABLE", `${pkg} ${next.version} has no kernel Makefile`);
    }
    const release = bumpRelease(target.release, version);
    const results: DryRunResult[] = [];
    for (const p of patches.filter((x) => x.targets.includes(target.id))) {
      results.push(await dryRunPatch(o.runner, tree, p));
    }
    const changed = next.version !== target.source.debian.version || release !== target.release;
    const written =
      changed && !o.dryRun && (await rewriteTarget(o.repoDir, target.id, next.version, release));
    return {
      target: target.id,
      package: pkg,
      from: { version: target.source.debian.version ?? null, release: target.release },
      to: { version: next.version, release, sha256: next.sha256 },
      changed,
      written,
      patches: results,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Edits version and release in place: comments and layout of target.yaml survive. */
async function rewriteTarget(
  repoDir: string,
  id: string,
  version: string,
  release: string,
): Promise<true> {
  const path = join(repoDir, "kernels", id, "target.yaml");
  const doc = parseDocument(await readFile(path, "utf8"));
  doc.setIn(["source", "debian", "version"], version);
  doc.setIn(["release"], release);
  await writeFileAtomic(path, doc.toString());
  return true;
}
