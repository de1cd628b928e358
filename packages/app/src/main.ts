/**
 * `npm start`: the app under Probot's server, configured from the usual
 * Probot environment (APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH,
 * WEBHOOK_SECRET, GHE_HOST/GHE_PROTOCOL, LOG_LEVEL, PORT, HOST,
 * WEBHOOK_PATH) plus the release signing key: LPCTL_SIGNING_KEY (path to an
 * armored private key) and LPCTL_SIGNING_PASSPHRASE; LPCTL_APP_STATE_DIR
 * (the app's own record of what it published, required to publish) and,
 * after a key rotation, LPCTL_PREVIOUS_KEYS (comma-separated public key
 * files, `lpctl publish --previous-key`) and LPCTL_KEY_LISTS (the signed
 * key-list directory, `--key-lists`). Webhooks come in through server.ts (a
 * body cap before the signature check); without APP_ID Probot's own server
 * runs its setup page. Probot's retry and throttling stay on, with the app's
 * pace for writes (write-limiter.ts) and a timeout on every GitHub request.
 * SIGTERM stops taking deliveries and lets queued work finish (at most 25 s)
 * before the process exits.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { createProbot, run } from "probot";
import type { Signer } from "@livepatch-gitops/lpctl/core/sign/signer";
import { LpctlError } from "@livepatch-gitops/lpctl/core/errors";
import { loadSigner } from "@livepatch-gitops/lpctl/publisher/load-signer";
import { readKeyFiles } from "@livepatch-gitops/lpctl/publisher/read-key-files";
import { appDeps } from "./deps.js";
import { livepatchApp } from "./index.js";
import { appOctokit } from "./octokit.js";
import { startAppServer } from "./server.js";

let signer: Promise<Signer> | undefined;

const keyPath = process.env.LPCTL_SIGNING_KEY;
const deps = appDeps({
  signer: () => {
    if (keyPath === undefined || keyPath === "")
      return Promise.reject(
        new LpctlError(
          "KEY_MISSING",
          "LPCTL_SIGNING_KEY must name the armored private signing key file",
        ),
      );
    // The env var holds a path; loadSigner reads it (the armored key never sits in the environment).
    signer ??= loadSigner(keyPath, {
      LPCTL_SIGNING_PASSPHRASE: process.env.LPCTL_SIGNING_PASSPHRASE,
    }).catch((e: unknown) => {
      signer = undefined; // a fixed key file is read again on the next event
      throw e;
    });
    return signer;
  },
  ...(process.env.APP_ID ? { appId: Number(process.env.APP_ID) } : {}),
  ...(process.env.LPCTL_APP_STATE_DIR ? { stateDir: process.env.LPCTL_APP_STATE_DIR } : {}),
  ...(process.env.LPCTL_KEY_LISTS ? { keyLists: process.env.LPCTL_KEY_LISTS } : {}),
  previousKeys: () =>
    readKeyFiles((process.env.LPCTL_PREVIOUS_KEYS ?? "").split(",").filter((f) => f !== "")),
});

const app = livepatchApp(deps, { refreshOnStartup: true });
const server = process.env.APP_ID
  ? await startAppServer({
      probot: createProbot({ overrides: { Octokit: appOctokit() } }),
      app,
      port: Number(process.env.PORT) || 3000,
      host: process.env.HOST || "localhost",
      webhookPath: process.env.WEBHOOK_PATH || "/api/github/webhooks",
    })
  : await run(app, { Octokit: appOctokit() });
// Deliveries are answered before their work is done: a stop must not drop it.
process.once("SIGTERM", () => {
  void server
    .stop()
    .then(() => Promise.race([deps.work.idle(), sleep(25_000)]))
    .finally(() => process.exit(0));
});
