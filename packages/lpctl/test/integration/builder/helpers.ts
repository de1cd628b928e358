import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { RunOptions, Runner } from "../../../src/builder/runtime/runner.js";
import { execaRunner } from "../../../src/builder/runtime/runner.js";

export const REPO = fileURLToPath(new URL("../../../../../", import.meta.url));
export const FIXTURES = join(REPO, "packages/lpctl/test/fixtures/builder");

/** The shared test cache (scripts/test.sh sets it inside the checkout). */
export const CACHE = process.env.LPCTL_CACHE_DIR ?? join(REPO, ".cache/lpctl");

/** A scratch repository with the lab target and the named fixture patches. */
export function tmpRepo(fixturePatches: string[], repoPatches: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), "lpctl-repo-"));
  cpSync(join(REPO, "kernels/debian-6.1-lab"), join(dir, "kernels/debian-6.1-lab"), {
    recursive: true,
  });
  mkdirSync(join(dir, "patches"), { recursive: true });
  for (const p of fixturePatches)
    cpSync(join(FIXTURES, "patches", p), join(dir, "patches", p), { recursive: true });
  for (const p of repoPatches)
    cpSync(join(REPO, "patches", p), join(dir, "patches", p), { recursive: true });
  return dir;
}

/** A scratch repository with one target described by `yaml` (+ optional fragment). */
export function tmpTargetRepo(id: string, yaml: string, fragment?: string): string {
  const dir = mkdtempSync(join(tmpdir(), "lpctl-repo-"));
  mkdirSync(join(dir, "kernels", id), { recursive: true });
  writeFileSync(join(dir, "kernels", id, "target.yaml"), yaml);
  if (fragment !== undefined) writeFileSync(join(dir, "kernels", id, "config.fragment"), fragment);
  mkdirSync(join(dir, "patches"));
  return dir;
}

/** The real runner, recording which programs ran. */
export function recordingRunner(): Runner & { commands: string[] } {
  const commands: string[] = [];
  return {
    commands,
    run(cmd: string, args: readonly string[], opts?: RunOptions) {
      commands.push(cmd);
      return execaRunner.run(cmd, args, opts);
    },
  };
}
