/**
 * The agent as a host installs it: scripts/build-deb.sh builds the .deb and
 * `dpkg-deb -x` unpacks it, the way dpkg lays its files out; each top-level
 * directory becomes a tree in the guest's initramfs.
 */
import { execa } from "execa";
import { mkdtemp, readdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { InitramfsFile } from "../../../src/builder/vm/index.js";

export async function debTreeFiles(): Promise<{ deb: string; files: InitramfsFile[] }> {
  const work = await mkdtemp(path.join(os.tmpdir(), "lpctl-vm-deb-"));
  // lintian runs in the .deb's own integration test.
  await execa("bash", ["scripts/build-deb.sh", work], { env: { LPCTL_DEB_LINT: "0" } });
  const deb = (await readdir(work)).find((f) => f.endsWith("_all.deb"));
  if (deb === undefined) throw new Error(`scripts/build-deb.sh wrote no .deb into ${work}`);
  const root = path.join(work, "root");
  await execa("dpkg-deb", ["-x", path.join(work, deb), root]);
  const files = (await readdir(root)).map((top): InitramfsFile => ({
    path: `/${top}`,
    tree: path.join(root, top),
  }));
  // What the nodejs package provides: /usr/bin/node (the bundle's interpreter).
  files.push({ path: "/usr/bin/node", symlink: "/usr/local/bin/node" });
  return { deb, files };
}
