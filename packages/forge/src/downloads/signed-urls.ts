/**
 * Short-lived storage URLs, as GitHub's downloads redirect to: the path
 * names what to serve (`/_storage/<kind>/<id>`), `expires` when, and `sig`
 * is an HMAC-SHA256 of both under a secret only this forge holds, so a URL
 * cannot be forged, pointed at another object or extended.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const STORAGE_PREFIX = "/_storage";

export class UrlSigner {
  constructor(private readonly secret: Buffer = randomBytes(32)) {}

  private mac(kind: string, id: string, expires: number): string {
    return createHmac("sha256", this.secret).update(`${kind}\n${id}\n${expires}`).digest("hex");
  }

  /** The path and query of a URL serving `kind`/`id` until `nowMs + ttlS`. */
  sign(kind: string, id: string, nowMs: number, ttlS: number): string {
    const expires = Math.floor(nowMs / 1000) + ttlS;
    const q = new URLSearchParams({ expires: String(expires), sig: this.mac(kind, id, expires) });
    return `${STORAGE_PREFIX}/${kind}/${encodeURIComponent(id)}?${q.toString()}`;
  }

  /** True when `sig` was made by `sign` for this object and has not expired at `nowMs`. */
  verify(
    kind: string,
    id: string,
    expires: string | null,
    sig: string | null,
    nowMs: number,
  ): boolean {
    if (expires === null || sig === null || !/^\d{1,12}$/.test(expires)) return false;
    if (Number(expires) * 1000 <= nowMs) return false;
    const want = Buffer.from(this.mac(kind, id, Number(expires)), "hex");
    const got = Buffer.from(sig, "hex");
    return got.length === want.length && timingSafeEqual(got, want);
  }
}
