/** `lpctl verify`: checks a signed manifest the way a host does and prints what it covers. */
import type { Command } from "commander";
import { open, readFile } from "node:fs/promises";
import { basename } from "node:path";
import { MANIFEST_MAX_BYTES } from "../../core/manifest.js";
import {
  checkKernelBinding,
  checkKeyVersion,
  followKeyLists,
  manifestTooLarge,
  verifyManifest,
} from "../../core/verify/index.js";
import { fsStep, translateFsError } from "../../io/fs-errors.js";
import { dirKeyListReader } from "../../publisher/read-key-lists.js";
import type { CommandContext } from "../program.js";
import { integer, isoTime } from "./parse-flags.js";
import { readKeyFiles } from "./read-key-files.js";

const KERNEL_FILE = /^kernel-([0-9a-f]+)\.json$/;

interface VerifyFlags {
  manifest: string;
  signature?: string;
  key: string[];
  threshold: string;
  lastVersion?: string;
  buildId?: string;
  keyLists?: string;
  now?: string;
  json?: boolean;
}

export function registerVerify(program: Command, ctx: CommandContext): void {
  program
    .command("verify")
    .description(
      "verify a signed manifest (signature, pinned keys, expiry, rollback) and list its targets",
    )
    .requiredOption("--manifest <file>", "manifest.json or kernel-<buildId>.json")
    .option("--signature <file>", "detached signature (default: <manifest>.asc)")
    .requiredOption("--key <file...>", "pinned public key(s), armored")
    .option("--threshold <k>", "distinct pinned keys that must have signed", "1")
    .option("--last-version <n>", "refuse a version lower than this (rollback)")
    .option(
      "--build-id <id>",
      "the kernel the manifest is read for: it must hold that entry only (default: from a kernel-<id>.json name)",
    )
    .option(
      "--key-lists <dir>",
      "follow the signed key lists (keys-<N>.json) in DIR from the pinned keys, as hosts do",
    )
    .option("--now <iso>", "reference time (default: now)")
    .option("--json", "print the result as JSON")
    .action(async (flags: VerifyFlags) => {
      const now = flags.now ? isoTime(flags.now) : new Date();
      const manifest = await readCapped(flags.manifest);
      const signature = await readSignature(flags.signature ?? `${flags.manifest}.asc`);
      const pinned = {
        version: 0,
        threshold: integer(flags.threshold, "--threshold"),
        keys: await readKeyFiles(flags.key),
      };
      const trust = flags.keyLists
        ? await followKeyLists(dirKeyListReader(flags.keyLists), pinned, now)
        : pinned;
      const result = await verifyManifest({
        manifest,
        signature: new Uint8Array(signature),
        keys: trust.keys,
        threshold: trust.threshold,
        now,
        ...(flags.lastVersion ? { lastVersion: integer(flags.lastVersion, "--last-version") } : {}),
      });
      const m = result.manifest;
      // mix-and-match: kernel-<id>.json is bound to the build-id in its name.
      const buildId = flags.buildId ?? KERNEL_FILE.exec(basename(flags.manifest))?.[1];
      if (buildId !== undefined) checkKernelBinding(m, buildId, basename(flags.manifest));
      if (flags.keyLists) checkKeyVersion(m, trust.version, basename(flags.manifest));
      if (flags.json) {
        ctx.output.out(
          JSON.stringify(
            {
              ok: true,
              version: m.version,
              issued: m.issued,
              expires: m.expires,
              repository: m.repository,
              unchanged: result.unchanged,
              signers: result.fingerprints,
              targets: m.kernels.map((k) => ({
                target: k.target,
                release: k.release,
                buildId: k.buildId,
                module: k.module?.file ?? null,
                ...(k.withdrawn ? { withdrawn: k.withdrawn.map((w) => w.id) } : {}),
                patches: k.patches.map((p) => p.id),
              })),
            },
            null,
            2,
          ),
        );
        return;
      }
      ctx.output.out(
        `OK: ${m.repository} manifest version ${m.version}${result.unchanged ? " (unchanged)" : ""}, issued ${m.issued}, expires ${m.expires}`,
      );
      ctx.output.out(`signed by ${result.fingerprints.join(", ")}`);
      for (const k of m.kernels) {
        ctx.output.out(
          `  ${k.target} ${k.release} build-id ${k.buildId}: ${k.module?.file ?? "no module"} [${k.patches.map((p) => p.id).join(", ")}]${k.withdrawn ? ` withdrawn: ${k.withdrawn.map((w) => w.id).join(", ")}` : ""}`,
        );
      }
    });
}

/** A missing signature file is an empty signature: verifyManifest then says SIGNATURE_MISSING. */
export async function readSignature(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return new Uint8Array();
    throw translateFsError(e, `read the signature ${path}`);
  }
}

/** Reads at most the manifest cap plus one byte, so a huge file is refused without loading it. */
export async function readCapped(path: string): Promise<Uint8Array> {
  const handle = await fsStep(`open the manifest ${path}`, () => open(path, "r"));
  try {
    // size: refused here with the real size; a pipe or a growing file is cut at cap + 1.
    const { size } = await handle.stat();
    if (size > MANIFEST_MAX_BYTES) throw manifestTooLarge(size);
    const buf = new Uint8Array(MANIFEST_MAX_BYTES + 1);
    let total = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, total, buf.length - total, null);
      if (bytesRead === 0 || (total += bytesRead) === buf.length) break;
    }
    return buf.subarray(0, total);
  } catch (e) {
    throw translateFsError(e, `read the manifest ${path}`);
  } finally {
    await handle.close();
  }
}
