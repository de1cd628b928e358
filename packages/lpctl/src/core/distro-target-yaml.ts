/**
 * The text of `kernels/<id>/target.yaml` for a Debian binary kernel, as
 * `lpctl target init` writes it: every pin exact, with the comments a
 * reviewer of the pull request needs. Pure.
 */
import { stringify } from "yaml";

export interface DistroTargetFacts {
  release: string;
  /** The image package at its exact version. */
  image: { package: string; version: string };
  /** linux-source-X.Y, at the image's version. */
  sourcePackage: string;
  /** CONFIG_CC_VERSION_TEXT of Debian's build. */
  toolchain: string;
  buildId: string;
  /** The first line of the image package's Description. */
  summary: string;
}

/** A YAML scalar, quoted only where YAML needs it (`"6.1"` would read as a number). */
const scalar = (value: string): string => stringify(value, { lineWidth: 0 }).trimEnd();

export function distroTargetYaml(f: DistroTargetFacts): string {
  const { package: pkg, version } = f.image;
  return [
    `# Debian's binary kernel ${pkg} ${version}, registered with`,
    `# \`lpctl target init\`. No kernel is compiled for it: the builder fetches the`,
    `# image, headers, -dbg and source packages of this exact version, configures`,
    `# the source once from Debian's own config, and compiles only the objects a`,
    `# patch changes (docs/building.md, "Distribution kernels").`,
    `release: ${scalar(f.release)}`,
    `arch: x86_64`,
    `description: ${scalar(`Debian's ${pkg} ${version}: ${f.summary}`)}`,
    `image:`,
    `  debian:`,
    `    package: ${scalar(pkg)}`,
    `    version: ${scalar(version)}`,
    `source:`,
    `  debian:`,
    `    package: ${scalar(f.sourcePackage)}`,
    `    version: ${scalar(version)}`,
    `# CONFIG_CC_VERSION_TEXT of Debian's build; the runner needs exactly this compiler.`,
    `toolchain: ${scalar(f.toolchain)}`,
    `# GNU build-id of Debian's vmlinux (the one inside the image's vmlinuz, and the`,
    `# -dbg package's): what hosts read from /sys/kernel/notes.`,
    `buildId: ${scalar(f.buildId)}`,
    ``,
  ].join("\n");
}
