/**
 * The end-to-end tests run what users run: the app, the demo and the agent
 * bundle from dist/. Built once, before any test file starts: a build in a
 * file's own set-up would rewrite dist/ while files running beside it
 * (two at a time) execute it.
 */
import { execa } from "execa";
// Not through forge-loop.ts: it imports the demo's package, whose entry is
// the dist/ this builds.
import { REPO_ROOT } from "./repo-root.js";

export default async function setup(): Promise<void> {
  await execa("npm", ["run", "build"], { cwd: REPO_ROOT });
  await execa("node", ["packages/lpctl/scripts/build-agent-bundle.mjs"], { cwd: REPO_ROOT });
}
