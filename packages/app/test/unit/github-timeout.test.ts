/**
 * Attack: no GitHub call had a deadline, so one request that never got an
 * answer held its delivery's work forever, and every later delivery for the
 * same pull request waited behind it. Fed through the handlers with the
 * app's own Octokit class.
 */
import { describe, expect, it } from "vitest";
import { pullRequestEvent } from "./helpers/payloads.js";
import { scenario } from "./helpers/scenario.js";

const TOUCH = {
  "patches/cmdline-banner/patch.yaml":
    "title: Mark /proc/cmdline as live-patched\ndescription: d\ncves: [CVE-2026-10001]\nkernels: [debian-6.1-lab]\n",
};

/** A fetch whose first request to `path` is never answered (it only ends when its signal aborts). */
function hangOnce(path: RegExp) {
  let hung = 0;
  return (f: typeof fetch): typeof fetch =>
    (input, init) => {
      const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
      if (hung > 0 || !path.test(new URL(url).pathname)) return f(input, init);
      hung++;
      return new Promise((_, reject) =>
        init?.signal?.addEventListener("abort", () => reject(init.signal?.reason as Error)),
      );
    };
}

describe("a GitHub request that never gets an answer", () => {
  it(
    "fails its delivery with a timeout, and the next delivery for the PR runs",
    { timeout: 20_000 },
    async () => {
      const { s, openPr, receive } = await scenario(new Date(), {
        timeoutMs: 300,
        wrapFetch: hangOnce(/\/pulls\/\d+\/files$/),
      });
      const started = Date.now();
      const pr = await openPr(TOUCH);
      const lint = () =>
        s.checkRuns.find((c) => c.headSha === pr.headSha && c.name === "livepatch / lint");
      expect(lint()?.conclusion).toBe("failure");
      expect(lint()?.output.summary).toMatch(
        /GitHub did not answer GET \/repos\/acme\/patches\/pulls\/1\/files within 0\.3 s/,
      );
      // The same PR's next delivery is not stuck behind the first.
      await receive("pull_request", pullRequestEvent("synchronize", pr));
      expect(lint()?.conclusion).toBe("success");
      expect(Date.now() - started).toBeLessThan(10_000);
    },
  );
});
