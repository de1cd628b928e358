/**
 * OpenVEX 0.2.0 documents (https://github.com/openvex/spec) about one kernel
 * build: which CVEs a live patch fixes and which need a reboot. Pure: the
 * release's document is a function of the signed manifest alone, so every
 * publish path, a refresh and `lpctl mirror --key` give the same bytes.
 */
import type { Manifest, ManifestKernel } from "./manifest.js";
import { rebootAction, type NotLivePatchable } from "./not-live-patchable.js";

export const OPENVEX_CONTEXT = "https://openvex.dev/ns/v0.2.0";

/** A product by its purl as `@id`: what Trivy and go-vex (Grype) match on. */
export interface VexProduct {
  "@id": string;
}

export interface VexStatement {
  vulnerability: { name: string };
  products: VexProduct[];
  status: "fixed" | "affected" | "under_investigation";
  status_notes?: string;
  action_statement?: string;
}

export interface VexDocument {
  "@context": string;
  "@id": string;
  author: string;
  role: string;
  timestamp: string;
  version: number;
  tooling: string;
  statements: VexStatement[];
}

/** File name of the release's VEX document for the kernel with `buildId`. */
export function vexFileName(buildId: string): string {
  return `vex-${buildId}.json`;
}

/** Debian's kernel ABI release names (`6.1.0-27-amd64`): the image package is linux-image-<release>. */
const DEBIAN_RELEASE = /^[0-9]+\.[0-9]+\.[0-9]+-[0-9]+(?:-[a-z0-9]+)+$/;
const DEBIAN_ARCH: Readonly<Record<string, string>> = { x86_64: "amd64", aarch64: "arm64" };

/**
 * The products a statement about `k` names. Always the exact build: a
 * generic purl with the GNU build-id hosts read from /sys/kernel/notes.
 * For a Debian kernel also the image package's purl as Trivy generates it
 * for an installed package: with the package's exact version when the entry
 * names it (`image`, a distribution's binary kernel:
 * `pkg:deb/debian/linux-image-6.1.0-57-cloud-amd64@6.1.192-3?arch=amd64`);
 * a kernel compiled from Debian's source under a Debian ABI name has no
 * package version, so none is given and Trivy's rule "no version matches
 * every version" applies to that ABI's package.
 */
export function kernelProducts(
  k: Pick<ManifestKernel, "release" | "arch" | "buildId" | "image">,
): VexProduct[] {
  const build = `pkg:generic/linux@${encodeURIComponent(k.release)}?arch=${encodeURIComponent(k.arch)}&build-id=${k.buildId}`;
  const products = [{ "@id": build }];
  const arch = DEBIAN_ARCH[k.arch];
  if (arch === undefined) return products;
  if (k.image !== undefined) {
    const { package: name, version } = k.image.debian;
    products.push({ "@id": `pkg:deb/debian/${name}@${encodeURIComponent(version)}?arch=${arch}` });
  } else if (DEBIAN_RELEASE.test(k.release)) {
    products.push({ "@id": `pkg:deb/debian/linux-image-${k.release}?arch=${arch}` });
  }
  return products;
}

/** Each CVE the entry's patches fix once, sorted, with the patches that fix it. */
export function fixedCves(patches: ManifestKernel["patches"]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const p of patches) for (const c of p.cves) out.set(c, [...(out.get(c) ?? []), p.id]);
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** `affected` with the reboot action, one per record: the same for a release and a host. */
export function rebootStatements(
  records: readonly NotLivePatchable[],
  products: VexProduct[],
): VexStatement[] {
  return records.map((r) => ({
    vulnerability: { name: r.cve },
    products,
    status: "affected",
    action_statement: rebootAction(r),
  }));
}

/**
 * The release's statement about one kernel entry: `fixed` for every CVE
 * its module live patches, `affected` with the reboot action for every
 * record. Undefined when the entry names no CVE (OpenVEX needs one statement).
 */
export function releaseVex(manifest: Manifest, k: ManifestKernel): VexDocument | undefined {
  const products = kernelProducts(k);
  const statements: VexStatement[] = [];
  for (const [cve, ids] of fixedCves(k.patches))
    statements.push({
      vulnerability: { name: cve },
      products,
      status: "fixed",
      status_notes: `live patched by ${ids.join(", ")} in module ${k.module?.name ?? "?"}, while it is loaded and enabled`,
    });
  statements.push(...rebootStatements(k.notLivePatchable ?? [], products));
  if (statements.length === 0) return undefined;
  return {
    "@context": OPENVEX_CONTEXT,
    "@id": `urn:lpctl:vex:${encodeURIComponent(manifest.repository)}:${k.buildId}`,
    author: `livepatch-gitops release of ${manifest.repository}`,
    role: "live patch publisher",
    timestamp: manifest.issued,
    version: manifest.version,
    tooling: "lpctl publish",
    statements,
  };
}
