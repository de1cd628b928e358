/**
 * Attack: a manifest signed before titles were held to printable characters
 * carries a title with a terminal escape sequence; `lpctl status` must show
 * it, not send it to the operator's terminal.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../../src/cli/run.js";
import { makeSigner, scenario, type Scenario } from "../agent/helpers/scenario.js";

let keys: Awaited<ReturnType<typeof makeSigner>>;
let s: Scenario | undefined;
beforeAll(async () => {
  keys = await makeSigner();
});
afterEach(async () => {
  await s?.close();
});

describe("lpctl status with an old manifest", () => {
  it("shows control characters of a title as escapes, in text and in --json", async () => {
    s = await scenario(keys);
    const title =
      "fix a\u001b]52;c;cm0gLXJmIH4K\u0007\u001b[2J\u001b[1;1Hall patches applied\u202e\u009b2J";
    await s.publish(1, "lp_v1", ["a"], { titles: { a: title } });
    await s.sync();
    await mkdir(path.join(s.root, "etc/lpctl"), { recursive: true });
    await writeFile(
      path.join(s.root, "etc/lpctl/config.yaml"),
      JSON.stringify({
        repository: s.config.repository,
        keys: ["/etc/lpctl/keys/key0.asc"],
        source: s.server.baseUrl,
      }),
    );
    const out: string[] = [];
    const err: string[] = [];
    await runCli(["status", "--root", s.root], {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
    });
    const text = out.join("\n");
    expect(err).toEqual([]);
    expect(text).toContain("applied:       a CVE-2026-1001 — fix a\\x1b]52;c;");
    expect(text).toContain("\\u{202E}");
    // eslint-disable-next-line no-control-regex -- the control characters are what must not be printed
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);

    const json: string[] = [];
    await runCli(["status", "--root", s.root, "--json"], {
      out: (l) => json.push(l),
      err: (l) => err.push(l),
    });
    // The JSON form keeps the title exactly (escaped as JSON), nothing raw.
    const doc = JSON.parse(json.join("\n")) as { applied: { title: string }[] };
    expect(doc.applied[0]?.title).toBe(title);
    // eslint-disable-next-line no-control-regex -- the control characters are what must not be printed
    expect(json.join("\n")).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
  });
});
