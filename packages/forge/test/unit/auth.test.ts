import { generateKeyPairSync } from "node:crypto";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { verifyAppJwt } from "../../src/auth/app-jwt.js";
import { credentialOf } from "../../src/auth/principal.js";
import type { AppRow } from "../../src/model/rows.js";

describe("credentialOf", () => {
  it("reads token, bearer and git's Basic forms", () => {
    expect(credentialOf("token ghs_abc")).toBe("ghs_abc");
    expect(credentialOf("Bearer eyJ.x.y")).toBe("eyJ.x.y");
    const basic = (s: string) => `Basic ${Buffer.from(s).toString("base64")}`;
    expect(credentialOf(basic("x-access-token:ghs_abc"))).toBe("ghs_abc");
    expect(credentialOf(basic("ghp_only:"))).toBe("ghp_only");
    expect(credentialOf(undefined)).toBeUndefined();
    expect(credentialOf("Digest abc")).toBeUndefined();
  });
});

describe("verifyAppJwt", () => {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const other = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const app = {
    id: 5,
    clientId: "Iv1.x",
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
  } as AppRow;
  const find = (iss: string) => (iss === "5" || iss === "Iv1.x" ? app : undefined);
  const now = 1_800_000_000;
  const jwt = (iat: number, exp: number, key = privateKey, iss = "5") =>
    new SignJWT({})
      .setProtectedHeader({ alg: "RS256" })
      .setIssuer(iss)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(key);
  const message = (p: Promise<unknown>) =>
    p.then(
      () => "ok",
      (e: { body: { message: string } }) => e.body.message,
    );

  it("accepts Octokit's window (iat now-30s, exp iat+10min) by id or client id", async () => {
    await expect(verifyAppJwt(await jwt(now - 30, now + 570), find, now * 1000)).resolves.toBe(app);
    await expect(
      verifyAppJwt(await jwt(now - 30, now + 570, privateKey, "Iv1.x"), find, now * 1000),
    ).resolves.toBe(app);
  });

  it("refuses other keys, unknown apps, expired and over-long tokens with GitHub's messages", async () => {
    expect(
      await message(verifyAppJwt(await jwt(now, now + 60, other.privateKey), find, now * 1000)),
    ).toBe("A JSON web token could not be decoded");
    expect(
      await message(verifyAppJwt(await jwt(now, now + 60, privateKey, "9"), find, now * 1000)),
    ).toBe("A JSON web token could not be decoded");
    expect(await message(verifyAppJwt(await jwt(now - 900, now - 300), find, now * 1000))).toMatch(
      /^'Expiration time' claim \('exp'\) must be a numeric value/,
    );
    expect(await message(verifyAppJwt(await jwt(now, now + 3600), find, now * 1000))).toBe(
      "'Expiration time' claim ('exp') is too far in the future.",
    );
    expect(await message(verifyAppJwt(await jwt(now + 600, now + 900), find, now * 1000))).toMatch(
      /^'Issued at' claim/,
    );
    expect(await message(verifyAppJwt("eyJnot.a.jwt", find, now * 1000))).toBe(
      "A JSON web token could not be decoded",
    );
  });
});
