/** Crafts artifact zips with yazl, including the hostile ones yazl refuses to write directly. */
import { ZipFile } from "yazl";

export interface ZipEntry {
  name: string;
  data: Uint8Array | string;
  /** Unix mode with the file type bits, e.g. 0o120777 for a symlink. */
  mode?: number;
  compress?: boolean;
}

/** A zip of `entries`; `rename` then swaps same-length names in the bytes (`../x` cannot be written by yazl). */
export async function makeZip(
  entries: readonly ZipEntry[],
  rename: Record<string, string> = {},
): Promise<Uint8Array> {
  const zip = new ZipFile();
  for (const e of entries) {
    const data = typeof e.data === "string" ? Buffer.from(e.data) : Buffer.from(e.data);
    zip.addBuffer(data, e.name, {
      ...(e.mode !== undefined ? { mode: e.mode } : {}),
      compress: e.compress ?? true,
    });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream) chunks.push(c as Buffer);
  let bytes = Buffer.concat(chunks);
  for (const [from, to] of Object.entries(rename)) {
    if (from.length !== to.length) throw new TypeError("rename keeps the length");
    bytes = Buffer.from(bytes.toString("latin1").split(from).join(to), "latin1");
  }
  return new Uint8Array(bytes);
}
