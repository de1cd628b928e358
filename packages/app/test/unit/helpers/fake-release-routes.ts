/**
 * The release and tag routes a collaborator's attacks and the app's own
 * bookkeeping use: list and delete releases, read a tag, and GET /app (the
 * app's slug, whose `<slug>[bot]` authors the releases the app creates).
 */
import { APP_ID, BOT, OWNER, REPO, type FakeState } from "./fake-state.js";
import type { Reply } from "./fake-routes.js";

type Json = Record<string, unknown> | unknown[];
type Handler = (m: RegExpExecArray, q: URLSearchParams) => Reply;
const R = `/repos/${OWNER}/${REPO}`;
const notFound: Reply = { status: 404, json: { message: "Not Found" } };

export function moreReleaseRoutes(
  s: FakeState,
  releaseJson: (r: FakeState["releases"][number]) => Json,
): [string, RegExp, Handler][] {
  return [
    [
      "GET",
      new RegExp(`^${R}/releases$`),
      // Newest first, as GitHub lists them; one page is enough here.
      () => ({ status: 200, json: [...s.releases].reverse().map(releaseJson) }),
    ],
    [
      "DELETE",
      new RegExp(`^${R}/releases/(\\d+)$`),
      (m) => {
        const gone = s.releases.find((r) => r.id === Number(m[1]));
        s.releases = s.releases.filter((r) => r !== gone);
        // GitHub then shows the most recent remaining release as latest (the tag stays).
        const last = s.releases.at(-1);
        if (gone?.latest && last) last.latest = true;
        return { status: 204 };
      },
    ],
    [
      "GET",
      // Octokit sends `tags/v1` percent-encoded; GitHub takes either.
      new RegExp(`^${R}/git/ref/(.+)$`),
      (m) => {
        const ref = decodeURIComponent(m[1] ?? "");
        const sha = ref.startsWith("tags/") ? s.tags.get(ref.slice(5)) : undefined;
        return sha
          ? { status: 200, json: { ref: `refs/${ref}`, object: { sha, type: "commit" } } }
          : notFound;
      },
    ],
    [
      "GET",
      /^\/app$/,
      () => ({
        status: 200,
        json: { id: APP_ID, slug: BOT.replace(/\[bot\]$/, ""), name: "livepatch" },
      }),
    ],
  ];
}
