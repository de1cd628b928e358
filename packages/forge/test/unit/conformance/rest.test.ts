import { beforeAll, describe, expect, it } from "vitest";
import { createRestConformance, type RestConformance } from "../../../src/conformance/rest.js";
import { release, releaseAsset } from "./bodies.js";

// One load per file (~0.3 s); validators compile on first use and are cached.
let strict: RestConformance;
let generic: RestConformance;
beforeAll(() => {
  strict = createRestConformance();
  generic = createRestConformance({ undocumentedErrors: "generic" });
});

describe("createRestConformance: bodies", () => {
  it("accepts a complete release and names the operation it matched", () => {
    expect(strict.check("GET", "/repos/o/r/releases/1", 200, release())).toEqual({
      operationId: "repos/get-release",
      template: "/repos/{owner}/{repo}/releases/{release_id}",
    });
  });

  it("rejects a missing required field, naming the operation, status and field", () => {
    const body: Record<string, unknown> = release();
    delete body.upload_url;
    const { violation } = strict.check("GET", "/repos/o/r/releases/1", 200, body);
    expect(violation).toBe(
      "repos/get-release 200: (body) must have required property 'upload_url'",
    );
  });

  it("rejects a wrong type deep in the body with its instance path", () => {
    const body = release();
    body.assets[0].size = "120" as unknown as number;
    expect(strict.check("GET", "/repos/o/r/releases/1", 200, body).violation).toBe(
      "repos/get-release 200: /assets/0/size must be integer",
    );
  });

  it("rejects null where GitHub does not allow it, accepts it where it does", () => {
    expect(
      strict.check("GET", "/repos/o/r/releases/1", 200, { ...release(), tag_name: null }).violation,
    ).toMatch(/\/tag_name must be string/);
    expect(
      strict.check("GET", "/repos/o/r/releases/1", 200, { ...release(), name: null }).violation,
    ).toBeUndefined();
    // `uploader` is a nullable $ref: the shape Ajv cannot compile before conversion.
    const asset = { ...releaseAsset(), uploader: null };
    expect(
      strict.check("GET", "/repos/o/r/releases/assets/10", 200, asset).violation,
    ).toBeUndefined();
  });

  it("lists an enum's allowed values when a value is outside it", () => {
    const asset = { ...releaseAsset(), state: "gone" };
    expect(strict.check("GET", "/repos/o/r/releases/assets/10", 200, asset).violation).toBe(
      'repos/get-release-asset 200: /state must be equal to one of the allowed values ("uploaded", "open")',
    );
  });

  it("validates arrays of items (list releases)", () => {
    expect(
      strict.check("GET", "/repos/o/r/releases?per_page=2", 200, [release(1), release(2)])
        .violation,
    ).toBeUndefined();
    expect(strict.check("GET", "/repos/o/r/releases", 200, release()).violation).toMatch(
      /\(body\) must be array/,
    );
  });
});

describe("createRestConformance: operations and statuses", () => {
  it("matches /releases/latest before /releases/{release_id}", () => {
    expect(strict.check("GET", "/repos/o/r/releases/latest", 200, release()).operationId).toBe(
      "repos/get-latest-release",
    );
  });

  it("reports an undocumented path or method as no such operation", () => {
    expect(strict.check("GET", "/repos/o/r/nope", 200, {})).toEqual({
      violation: "GET /repos/o/r/nope: no such operation in GitHub's description ghes-3.19.json",
    });
    expect(strict.check("PUT", "/repos/o/r/releases/1", 200, {}).violation).toMatch(
      /the path exists, not with PUT/,
    );
  });

  it("reports a status the operation does not document, listing the documented ones", () => {
    expect(
      strict.check("GET", "/repos/o/r/releases/1", 404, { message: "Not Found" }).violation,
    ).toBe(
      "repos/get-release 404: GitHub documents no 404 for this operation (it documents 200, 401)",
    );
  });

  it("in generic mode holds an undocumented error status to GitHub's error bodies, and says so", () => {
    const notFound = { message: "Not Found", documentation_url: "https://docs.github.com/rest" };
    expect(generic.check("GET", "/repos/o/r/releases/1", 404, notFound)).toEqual({
      operationId: "repos/get-release",
      template: "/repos/{owner}/{repo}/releases/{release_id}",
      documented: false,
    });
    expect(generic.check("GET", "/repos/o/r/releases/1", 404, { error: "nope" }).violation).toMatch(
      /checked as GitHub's generic error.*required property 'message'/,
    );
    expect(
      generic.check("POST", "/repos/o/r/check-runs", 422, { message: "Validation Failed" })
        .violation,
    ).toMatch(/required property 'documentation_url'/);
    // A success status is never excused.
    expect(generic.check("GET", "/repos/o/r/releases/1", 203, {}).violation).toMatch(
      /documents no 203/,
    );
  });

  it("in generic mode accepts GitHub's router 404 for a path no operation routes, body checked", () => {
    const notFound = { message: "Not Found", documentation_url: "https://docs.github.com/rest" };
    expect(generic.check("GET", "/repos/o/r/contents/docs//x.md", 404, notFound)).toEqual({
      documented: false,
    });
    expect(generic.check("GET", "/nowhere", 404, { nope: 1 }).violation).toMatch(
      /generic error.*'message'/,
    );
    // Not a 404: still no such operation; and strict mode never excuses it.
    expect(generic.check("GET", "/nowhere", 200, {}).violation).toMatch(/no such operation/);
    expect(strict.check("GET", "/nowhere", 404, notFound).violation).toMatch(/no such operation/);
  });

  it("holds an error body GitHub documents without content to its generic error shape (422 already_exists)", () => {
    const conflict = {
      message: "Validation Failed",
      documentation_url: "https://docs.github.com/rest/releases/assets#upload-a-release-asset",
      errors: [{ resource: "ReleaseAsset", code: "already_exists", field: "name" }],
    };
    expect(
      strict.check("POST", "/api/uploads/repos/o/r/releases/1/assets?name=a.json", 422, conflict),
    ).toEqual({
      operationId: "repos/upload-release-asset",
      template: "/repos/{owner}/{repo}/releases/{release_id}/assets",
    });
    const bare = { message: "Validation Failed", errors: [{ field: "name" }] };
    expect(strict.check("POST", "/repos/o/r/releases/1/assets", 422, bare).violation).toBe(
      "repos/upload-release-asset 422 (checked as GitHub's generic error): (body) must have required property 'documentation_url'; /errors/0 must have required property 'code'",
    );
  });

  it("checks the host when the path keeps its /api/v3 or /api/uploads prefix", () => {
    expect(
      strict.check("POST", "/api/uploads/repos/o/r/releases/1/assets?name=x", 201, releaseAsset())
        .violation,
    ).toBeUndefined();
    expect(
      strict.check("POST", "/api/v3/repos/o/r/releases/1/assets?name=x", 201, releaseAsset())
        .violation,
    ).toBe("repos/upload-release-asset: served on /api/v3, GitHub serves it on /api/uploads");
    expect(
      strict.check("GET", "/api/uploads/repos/o/r/releases/1", 200, release()).violation,
    ).toMatch(/served on \/api\/uploads, GitHub serves it on \/api\/v3/);
    expect(
      strict.check("GET", "/api/v3/repos/o/r/releases/1", 200, release()).violation,
    ).toBeUndefined();
  });

  it("requires an empty body where GitHub documents none (204, 302)", () => {
    expect(
      strict.check("DELETE", "/repos/o/r/releases/1", 204, undefined).violation,
    ).toBeUndefined();
    expect(strict.check("DELETE", "/repos/o/r/releases/1", 204, {}).violation).toBe(
      "repos/delete-release 204: GitHub documents no body for this response",
    );
    expect(strict.check("GET", "/repos/o/r/actions/artifacts/5/zip", 302, "").operationId).toBe(
      "actions/download-artifact",
    );
  });

  it("checks the content type against the documented ones, ignoring parameters", () => {
    expect(
      strict.check(
        "GET",
        "/repos/o/r/releases/1",
        200,
        release(),
        "application/json; charset=utf-8",
      ).violation,
    ).toBeUndefined();
    expect(strict.check("GET", "/repos/o/r/releases/1", 200, "x", "text/plain").violation).toBe(
      "repos/get-release 200: content type text/plain is not documented (application/json)",
    );
  });

  it("matches content paths and refs that contain slashes", () => {
    expect(
      strict.check("GET", "/repos/o/r/contents/patches/p1/patch.yaml?ref=main", 404, {
        message: "Not Found",
      }).operationId,
    ).toBe("repos/get-content");
    expect(
      strict.check("GET", "/repos/o/r/commits/feature/x/check-runs", 200, {
        total_count: 0,
        check_runs: [],
      }),
    ).toEqual({
      operationId: "checks/list-for-ref",
      template: "/repos/{owner}/{repo}/commits/{ref}/check-runs",
    });
  });
});

describe("createRestConformance: other descriptions", () => {
  it("checks against api.github.com, where uploads are served from the uploads host", () => {
    const dotcom = createRestConformance({ spec: "api.github.com" });
    expect(dotcom.file).toBe("api.github.com.json");
    expect(dotcom.check("GET", "/repos/o/r/releases/1", 200, release()).violation).toBeUndefined();
    expect(
      dotcom.check("POST", "/api/v3/repos/o/r/releases/1/assets", 201, releaseAsset()).violation,
    ).toBe("repos/upload-release-asset: served on /api/v3, GitHub serves it on /api/uploads");
  });

  it("refuses a description file that does not exist, saying what to install", () => {
    expect(() => createRestConformance({ file: "ghes-9.99.json" })).toThrow(
      expect.objectContaining({ code: "CONFORMANCE_SPEC_UNAVAILABLE" }) as Error,
    );
  });
});
