/** The app's bot account (`<slug>[bot]`), the author of every release it creates; read once. */
import type { Probot } from "probot";
import { LpctlError } from "@livepatch-gitops/lpctl/core/errors";

/** A memoized reader of the app's bot login, through the app's own (JWT) authentication. */
export function botLoginOf(app: Probot): () => Promise<string> {
  let login: Promise<string> | undefined;
  return () => {
    login ??= app
      .auth()
      .then((gh) => gh.rest.apps.getAuthenticated())
      .then(({ data }) => {
        if (!data?.slug) throw new LpctlError("GITHUB_FAILED", "GET /app returned no slug");
        return `${data.slug}[bot]`;
      })
      .catch((e: unknown) => {
        login = undefined; // a failed lookup is tried again on the next event
        throw e;
      });
    return login;
  };
}
