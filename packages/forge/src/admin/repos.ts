/** Creating a repository: the record, then its bare git repository. */
import type { ForgeContext } from "../context.js";
import { validationFailed } from "../http/errors.js";
import type { RepoRow, UserRow } from "../model/rows.js";

const NAME = /^[A-Za-z0-9._-]{1,100}$/;

export async function createRepository(
  ctx: ForgeContext,
  owner: UserRow,
  name: string,
  opts: { private?: boolean; description?: string | null; defaultBranch?: string } = {},
): Promise<RepoRow> {
  if (!NAME.test(name) || name === "." || name === ".." || name.endsWith(".git")) {
    throw validationFailed([
      { resource: "Repository", code: "custom", field: "name", message: "name is invalid" },
    ]);
  }
  const lower = name.toLowerCase();
  if (ctx.db.repos.find((r) => r.ownerId === owner.id && r.name.toLowerCase() === lower)) {
    throw validationFailed([
      {
        resource: "Repository",
        code: "custom",
        field: "name",
        message: "name already exists on this account",
      },
    ]);
  }
  const now = ctx.now().toISOString();
  const repo = ctx.db.repos.insert({
    ownerId: owner.id,
    name,
    private: opts.private ?? false,
    description: opts.description ?? null,
    default_branch: opts.defaultBranch ?? "main",
    created_at: now,
    updated_at: now,
    pushed_at: now,
    nextNumber: 1,
  });
  // The bare repository exists before the record is committed, so a
  // committed repository always has its git directory.
  await ctx.git.init(repo.id, repo.default_branch);
  await ctx.store.commit();
  return repo;
}
