/**
 * A distribution's binary kernel as a target (`image:` in target.yaml): the
 * rules that tie its fields together, and the packages of the same build
 * the builder fetches. Pure: values in, values out.
 */

export interface DistroTargetFields {
  release: string;
  source: { debian: { package: string; version?: string | undefined } } | object;
  config?: unknown;
  toolchain?: string | undefined;
  buildId?: string | undefined;
}

export interface ImagePin {
  debian: { package: string; version: string };
}

export interface TargetIssue {
  path: (string | number)[];
  message: string;
}

/** The packages one Debian kernel build consists of, all at one version. */
export interface DistroPackages {
  version: string;
  release: string;
  /** `linux-image-<release>`: vmlinuz (booted by the VM test) and Debian's own modules. */
  image: string;
  /** `linux-headers-<release>`: .config, Module.symvers, .kernelvariables. */
  headers: string;
  /** `linux-image-<release>-dbg`: vmlinux with its symbol table. */
  dbg: string;
  /** `linux-source-X.Y`: the patched source Debian built from. */
  source: string;
}

const IMAGE_PREFIX = "linux-image-";

/** Package names derived from the image package; the source package from `source.debian`. */
export function distroPackages(image: ImagePin, sourcePackage: string): DistroPackages {
  const release = image.debian.package.slice(IMAGE_PREFIX.length);
  return {
    version: image.debian.version,
    release,
    image: image.debian.package,
    headers: `linux-headers-${release}`,
    dbg: `${image.debian.package}-dbg`,
    source: sourcePackage,
  };
}

/**
 * What makes a distro target inconsistent: each a field path and why. The
 * image, headers, -dbg and source packages of one Debian build share one
 * version (`Built-Using: linux (= V)`), and hosts match the build-id.
 */
export function distroTargetIssues(t: DistroTargetFields, image: ImagePin): TargetIssue[] {
  const issues: TargetIssue[] = [];
  const release = image.debian.package.slice(IMAGE_PREFIX.length);
  if (t.release !== release) {
    issues.push({
      path: ["release"],
      message: `must be '${release}', the release in the image package's name (${image.debian.package})`,
    });
  }
  if (t.config !== undefined) {
    issues.push({
      path: ["config"],
      message: `must be left out with image: the config is Debian's own, from linux-headers-${release}`,
    });
  }
  const debian = "debian" in t.source ? t.source.debian : undefined;
  if (debian === undefined) {
    issues.push({
      path: ["source"],
      message: "must be source.debian (linux-source-X.Y) with image: the source Debian built from",
    });
  } else if (debian.version !== image.debian.version) {
    issues.push({
      path: ["source", "debian", "version"],
      message: `must be ${image.debian.version}, the image's version: Debian builds image and source from one version`,
    });
  } else if (!/^linux-source-\d+\.\d+$/.test(debian.package)) {
    issues.push({
      path: ["source", "debian", "package"],
      message: "must be linux-source-X.Y with image:",
    });
  }
  if (t.buildId === undefined) {
    issues.push({
      path: ["buildId"],
      message:
        "is required with image: the GNU build-id of Debian's vmlinux (readelf -n, or /sys/kernel/notes on a host)",
    });
  }
  return issues;
}

/**
 * Debian's `linux-source-X.Y` for an image version (`6.1.192-3` →
 * `linux-source-6.1`): one source package per upstream major.minor, built
 * from the same `linux` source version as the image (`Built-Using`).
 */
export function linuxSourcePackage(version: string): string | undefined {
  const m = /^(?:\d+:)?(\d+)\.(\d+)[.~+-]/.exec(version);
  return m ? `linux-source-${m[1]}.${m[2]}` : undefined;
}

/**
 * The id `lpctl target init` gives a Debian kernel when none is asked for:
 * `debian-<release>` (`debian-6.1.0-57-cloud-amd64`), with characters an id
 * may not hold (`+` in trixie's `6.12.118+deb13-…`) turned into `-`.
 */
export function defaultDistroTargetId(release: string): string {
  return `debian-${release.toLowerCase().replace(/[^a-z0-9._-]+/g, "-")}`;
}
