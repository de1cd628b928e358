import { randomBytes } from "node:crypto";
import { armor, enums, unarmor } from "openpgp";
import { describe, expect, it } from "vitest";
import { armorSignature } from "../../../../src/core/sign/armor-signature.js";

describe("armorSignature", () => {
  it("writes what openpgp.js writes for a v4 signature, at every line and padding boundary", async () => {
    // 45 octets fill one 60-column line exactly; 44 and 46 pad differently.
    for (const size of [1, 2, 3, 44, 45, 46, 89, 90, 91, 189, 190, 191]) {
      const packet = randomBytes(size);
      const expected = armor(enums.armor.signature, packet, undefined, undefined, undefined, true);
      expect(armorSignature(packet)).toBe(expected);
      const read = await unarmor(armorSignature(packet));
      expect(Buffer.from(read.data as Uint8Array)).toEqual(packet);
    }
  });
});
