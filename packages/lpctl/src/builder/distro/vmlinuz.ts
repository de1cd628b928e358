/**
 * The identity of the kernel a host boots: the GNU build-id and the
 * `/proc/version` banner of the vmlinux inside Debian's (signed) vmlinuz,
 * decompressed the way scripts/extract-vmlinux does: find the compressed
 * payload by its magic bytes and decompress it, trailing data ignored.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { LpctlError } from "../../core/errors.js";
import { elfBuildId } from "../../core/elf-notes.js";
import {
  isKernelCompression,
  payloadByMagic,
  type KernelCompression,
} from "../../core/kernel-image.js";
import type { Runner } from "../runtime/runner.js";
import { bannerCompiler, findBanner, type DistroConfigFacts } from "./kernel-config-checks.js";

/** How each compression's payload (`payload.<ext>` in the cwd) is decompressed into `payload`. */
const COMMANDS: Record<KernelCompression, { ext: string; command: [string, string[]] }> = {
  gzip: { ext: "gz", command: ["gzip", ["-d", "-k", "-f", "payload.gz"]] },
  xz: { ext: "xz", command: ["xz", ["-d", "-k", "-f", "--single-stream", "payload.xz"]] },
  lz4: { ext: "lz4", command: ["lz4", ["-d", "-f", "payload.lz4", "payload"]] },
  zstd: {
    ext: "zst",
    // To stdout: with `-o`, zstd deletes what it wrote when it meets the
    // trailing data (seen on Debian's 6.12 images); `-dc` keeps the frame.
    command: ["sh", ["-c", "zstd -dc payload.zst > payload"]],
  },
};

export interface ImageIdentity {
  buildId: string;
  banner: string;
}

/** Build-id and banner of the kernel in `vmlinuz`, compressed as the config says. */
export async function vmlinuzIdentity(
  runner: Runner,
  vmlinuz: string,
  compression: string | undefined,
  scratchParent: string,
): Promise<ImageIdentity> {
  const dir = await mkdtemp(join(scratchParent, ".vmlinuz-"));
  try {
    const payload = await decompressKernel(runner, vmlinuz, compression, dir);
    const vmlinux = await readFile(payload);
    const buildId =
      vmlinux.subarray(0, 4).toString("latin1") === "\x7fELF"
        ? elfBuildId(vmlinux, `the vmlinux in ${vmlinuz}`)
        : undefined;
    if (buildId === undefined) throw notAKernel(vmlinuz, "no GNU build-id after decompression");
    const banner = findBanner(vmlinux);
    if (banner === undefined) throw notAKernel(vmlinuz, "no 'Linux version' banner");
    return { buildId, banner };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The identity of Debian's image, checked to be one build with its config:
 * the compiler its `/proc/version` banner names must be the config's.
 */
export async function imageIdentity(
  runner: Runner,
  vmlinuz: string,
  config: DistroConfigFacts,
  scratchParent: string,
): Promise<ImageIdentity> {
  const id = await vmlinuzIdentity(runner, vmlinuz, config.compression, scratchParent);
  const compiler = bannerCompiler(id.banner);
  if (compiler !== config.compiler) {
    throw new LpctlError(
      "TOOLCHAIN_MISMATCH",
      `the kernel's /proc/version names compiler '${compiler ?? "?"}' but its config says '${config.compiler}'; ` +
        `these packages are not one build`,
      { details: { banner: id.banner } },
    );
  }
  return id;
}

/** The vmlinux inside `vmlinuz`, decompressed into `dir` (existing); returns its path. */
export async function decompressKernel(
  runner: Runner,
  vmlinuz: string,
  compression: string | undefined,
  dir: string,
): Promise<string> {
  if (!isKernelCompression(compression)) {
    throw new LpctlError(
      "SOURCE_UNAVAILABLE",
      `cannot read ${vmlinuz}: kernel compression '${compression ?? "none"}' is not one of ${Object.keys(COMMANDS).join(", ")}`,
    );
  }
  const format = COMMANDS[compression];
  const payload = payloadByMagic(await readFile(vmlinuz), compression);
  if (payload === undefined) throw notAKernel(vmlinuz, `no ${compression} payload`);
  await writeFile(join(dir, `payload.${format.ext}`), payload);
  const [cmd, args] = format.command;
  // The payload is followed by the rest of the image: decompressors complain
  // about trailing data and exit non-zero; the caller's ELF checks decide.
  await runner.run(cmd, args, { cwd: dir });
  return join(dir, "payload");
}

function notAKernel(vmlinuz: string, why: string): LpctlError {
  return new LpctlError("SOURCE_UNAVAILABLE", `${vmlinuz} is not a readable kernel image: ${why}`);
}
