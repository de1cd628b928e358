/**
 * Token strings shaped like GitHub's (`ghp_`, `ghs_` + 36 base62 chars).
 * Only their sha256 is stored; the token is shown once to whoever got it.
 */
import { createHash, randomBytes } from "node:crypto";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

export function newToken(prefix: "ghp" | "ghs"): string {
  const bytes = randomBytes(36);
  let body = "";
  for (const b of bytes) body += ALPHABET[b % ALPHABET.length];
  return `${prefix}_${body}`;
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Random hex for secrets and client ids. */
export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString("hex");
}
