/**
 * On startup, every installation's repositories get the refresh check, so a
 * manifest that came close to expiry while the app was down is re-issued
 * without waiting for the next scheduled dispatch.
 */
import type { Probot } from "probot";
import type { AppDeps } from "../deps.js";
import { loadConfig } from "../github/load-config.js";
import { refreshIfDue } from "../github/refresh.js";

export async function refreshAllInstallations(app: Probot, deps: AppDeps): Promise<void> {
  const appOctokit = await app.auth();
  const installations = await appOctokit.paginate(appOctokit.rest.apps.listInstallations, {
    per_page: 100,
  });
  for (const inst of installations) {
    const octokit = await app.auth(inst.id);
    const repos = await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, {
      per_page: 100,
    });
    for (const r of repos) {
      const ref = { owner: r.owner.login, repo: r.name };
      const log = (l: string): void => app.log.info({ repository: r.full_name }, l);
      try {
        const { config } = await loadConfig(octokit, ref);
        await deps.publishQueue.run(r.full_name, () =>
          refreshIfDue(octokit, ref, config, deps, log),
        );
      } catch (e) {
        app.log.error(
          { err: e, repository: r.full_name },
          `startup refresh of ${r.full_name} failed`,
        );
      }
    }
  }
}
