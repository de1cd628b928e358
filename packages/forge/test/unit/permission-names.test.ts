import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { isPermissionName, permissionNames } from "../../src/auth/permission-names.js";

const description = createRequire(import.meta.url)("@octokit/openapi/generated/ghes-3.19.json") as {
  components: { schemas: Record<string, { properties: Record<string, unknown> }> };
};

describe("permission names", () => {
  it("are exactly the properties of app-permissions in GitHub's description", () => {
    const documented = Object.keys(
      description.components.schemas["app-permissions"]?.properties ?? {},
    );
    expect(permissionNames().sort()).toEqual(documented.sort());
  });

  it("are own entries: nothing on Object.prototype is a permission", () => {
    for (const name of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
      expect(isPermissionName(name)).toBe(false);
    }
    expect(isPermissionName("contents")).toBe(true);
  });
});
