/** The rings file of a checkout (`lpctl publish --checkout DIR`): undefined when it has none. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { LpctlError } from "../core/errors.js";
import type { Problem } from "../core/problem.js";
import { checkRingsFile, parseRingsFile, RINGS_PATH, type RingsFile } from "../core/rings.js";

/** `<checkout>/.github/livepatch-rings.yml`, parsed and checked. */
export async function readRingsFile(checkout: string): Promise<RingsFile | undefined> {
  const text = await ringsText(checkout);
  return text === undefined ? undefined : parseRingsFile(join(checkout, RINGS_PATH), text);
}

/** Every problem of the checkout's rings file (`lpctl validate`); none without one. */
export async function ringsFileProblems(checkout: string): Promise<Problem[]> {
  const text = await ringsText(checkout);
  return text === undefined ? [] : checkRingsFile(RINGS_PATH, text).problems;
}

async function ringsText(checkout: string): Promise<string | undefined> {
  const file = join(checkout, RINGS_PATH);
  try {
    return await readFile(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new LpctlError("IO_FAILED", `cannot read ${file}: ${(e as Error).message}`, { cause: e });
  }
}
