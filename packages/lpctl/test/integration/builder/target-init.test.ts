/**
 * `lpctl target init` for real: Debian's archive, Debian's image package,
 * and for `--from-host` a constructed host root whose /sys/kernel/notes
 * holds the notes of the vmlinux inside Debian's vmlinuz and whose dpkg
 * database (built from the real .deb's control and file list) is read by
 * the real dpkg-query. Every refusal leaves the repository untouched.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { distroConfigFacts } from "../../../src/builder/distro/kernel-config-checks.js";
import { decompressKernel } from "../../../src/builder/distro/vmlinuz.js";
import { execaRunner } from "../../../src/builder/runtime/runner.js";
import { runCli } from "../../../src/cli/run.js";
import { CACHE, REPO } from "./helpers.js";
import {
  doctoredImage,
  realDeb,
  RELEASE,
  removeDoctored,
  seedDeb,
  TARGET,
  VERSION,
} from "./distro-helpers.js";

const IMAGE = `linux-image-${RELEASE}`;
const DEFAULT_ID = `debian-${RELEASE}`;
const scratch: string[] = [];
const tmp = (prefix: string): string => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  removeDoctored();
});

async function lpctl(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

async function run(cmd: string, args: string[]): Promise<string> {
  const r = await execaRunner.run(cmd, args);
  if (r.exitCode !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

/** Everything under `repo`: a refused init must leave it exactly as it was. */
const tree = (repo: string): string[] => readdirSync(repo, { recursive: true }).map(String).sort();

let imageDeb: string;
/** The .notes section of the vmlinux inside Debian's vmlinuz: what the booted kernel shows in /sys/kernel/notes. */
let debianNotes: Buffer;

beforeAll(async () => {
  imageDeb = await realDeb(IMAGE);
  const work = tmp("lpctl-init-img-");
  await run("dpkg-deb", ["-x", imageDeb, work]);
  const config = distroConfigFacts(
    readFileSync(join(work, "boot", `config-${RELEASE}`), "utf8"),
    IMAGE,
  );
  const vmlinux = await decompressKernel(
    execaRunner,
    join(work, "boot", `vmlinuz-${RELEASE}`),
    config.compression,
    work,
  );
  await run("objcopy", ["-O", "binary", "--only-section=.notes", vmlinux, join(work, "notes")]);
  debianNotes = readFileSync(join(work, "notes"));
}, 600_000);

/** A host root running RELEASE with `notes`, and (unless `dpkg: false`) a dpkg database holding `deb` as installed. */
async function hostRoot(
  notes: Buffer,
  o: { dpkg?: boolean; owner?: string } = {},
): Promise<string> {
  const root = tmp("lpctl-init-host-");
  mkdirSync(join(root, "proc/sys/kernel"), { recursive: true });
  writeFileSync(join(root, "proc/sys/kernel/osrelease"), `${RELEASE}\n`);
  mkdirSync(join(root, "sys/kernel"), { recursive: true });
  writeFileSync(join(root, "sys/kernel/notes"), notes);
  if (o.dpkg === false) return root;
  const admin = join(root, "var/lib/dpkg");
  mkdirSync(join(admin, "info"), { recursive: true });
  mkdirSync(join(admin, "updates"));
  // The package's own control stanza and file list, as dpkg records an installed package.
  const control = (await run("dpkg-deb", ["-f", imageDeb])).trimEnd();
  const name = o.owner ?? IMAGE;
  writeFileSync(
    join(admin, "status"),
    `${control.replace(/^Package: .*$/m, `Package: ${name}`)}\nStatus: install ok installed\n\n`,
  );
  const files = (await run("dpkg-deb", ["-c", imageDeb]))
    .split("\n")
    .map((l) => l.split(/\s+/)[5]?.replace(/^\./, "").replace(/\/$/, ""))
    .filter((p): p is string => p !== undefined && p !== "")
    .join("\n");
  writeFileSync(join(admin, "info", `${name}.list`), `/.\n${files}\n`);
  return root;
}

describe("lpctl target init", () => {
  let packageRepo: string;

  it("--package writes the target Debian's cloud kernel has in this repository, and it validates", async () => {
    packageRepo = tmp("lpctl-init-repo-");
    const r = await lpctl(
      "target",
      "init",
      "--package",
      `${IMAGE}=${VERSION}`,
      "--repo",
      packageRepo,
      "--cache",
      CACHE,
    );
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toContain(`wrote kernels/${DEFAULT_ID}/target.yaml`);
    const written = parse(
      readFileSync(join(packageRepo, "kernels", DEFAULT_ID, "target.yaml"), "utf8"),
    ) as Record<string, unknown>;
    const ours = parse(
      readFileSync(join(REPO, "kernels", TARGET, "target.yaml"), "utf8"),
    ) as Record<string, unknown>;
    // Every pin equal; only the free-text description is worded by init.
    expect({ ...written, description: undefined }).toEqual({ ...ours, description: undefined });
    expect(written.description).toMatch(
      new RegExp(`${IMAGE} ${VERSION}: Linux 6\\.1 for x86-64 cloud`),
    );
    const v = await lpctl("validate", "--repo", packageRepo);
    expect([v.code, v.out]).toEqual([0, "1 kernel target, 0 patches: ok"]);
  });

  it("refuses to overwrite an existing target: TARGET_EXISTS, file unchanged", async () => {
    const file = join(packageRepo, "kernels", DEFAULT_ID, "target.yaml");
    writeFileSync(file, readFileSync(file, "utf8") + "# edited by a maintainer\n");
    const before = readFileSync(file);
    const r = await lpctl(
      "target",
      "init",
      "--package",
      `${IMAGE}=${VERSION}`,
      "--repo",
      packageRepo,
      "--cache",
      CACHE,
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`TARGET_EXISTS: kernels/${DEFAULT_ID} already exists.*--id`));
    expect(readFileSync(file)).toEqual(before);
  });

  it("--from-host reads the running kernel and dpkg's database and writes the same file as --package", async () => {
    const repo = tmp("lpctl-init-repo-");
    const root = await hostRoot(debianNotes);
    const r = await lpctl(
      "target",
      "init",
      "--from-host",
      "--root",
      root,
      "--id",
      TARGET,
      "--repo",
      repo,
      "--cache",
      CACHE,
      "--json",
    );
    expect(r.code).toBe(0);
    // --json: progress on stderr, the result alone on stdout.
    expect(r.err).toContain(`/boot/vmlinuz-${RELEASE} belongs to ${IMAGE} ${VERSION}`);
    expect(JSON.parse(r.out)).toMatchObject({
      id: TARGET,
      file: `kernels/${TARGET}/target.yaml`,
      release: RELEASE,
      image: { package: IMAGE, version: VERSION },
      buildId: (
        parse(readFileSync(join(REPO, "kernels", TARGET, "target.yaml"), "utf8")) as {
          buildId: string;
        }
      ).buildId,
    });
    const fromHost = readFileSync(join(repo, "kernels", TARGET, "target.yaml"), "utf8");
    const fromPackage = readFileSync(
      join(packageRepo, "kernels", DEFAULT_ID, "target.yaml"),
      "utf8",
    );
    expect(fromHost + "# edited by a maintainer\n").toBe(fromPackage);
  });

  it("a host running another build than its package's: KERNEL_BUILD_ID_MISMATCH, nothing written", async () => {
    const repo = tmp("lpctl-init-repo-");
    const work = tmp("lpctl-init-elf-");
    writeFileSync(join(work, "t.c"), "int main(void) { return 0; }\n");
    await run("gcc", ["-Wl,--build-id=sha1", "-o", join(work, "t"), join(work, "t.c")]);
    await run("objcopy", [
      "-O",
      "binary",
      "--only-section=.note.gnu.build-id",
      join(work, "t"),
      join(work, "notes"),
    ]);
    const root = await hostRoot(readFileSync(join(work, "notes")));
    const r = await lpctl(
      "target",
      "init",
      "--from-host",
      "--root",
      root,
      "--repo",
      repo,
      "--cache",
      CACHE,
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /KERNEL_BUILD_ID_MISMATCH: this host runs 6\.1\.0-57-cloud-amd64 with build-id [0-9a-f]{40} .* has 01d2640d3a13145ee314eb05b155f141b7b7058b: the running kernel is not the installed package's/,
    );
    expect(tree(repo)).toEqual([]);
  });

  it("not a Debian host, or a kernel no package owns: KERNEL_NOT_PACKAGED, nothing written", async () => {
    const repo = tmp("lpctl-init-repo-");
    const bare = await lpctl(
      "target",
      "init",
      "--from-host",
      "--root",
      await hostRoot(debianNotes, { dpkg: false }),
      "--repo",
      repo,
      "--cache",
      CACHE,
    );
    expect(bare.code).toBe(1);
    expect(bare.err).toMatch(
      /KERNEL_NOT_PACKAGED: the running kernel 6\.1\.0-57-cloud-amd64 is not a Debian package: there is no dpkg database/,
    );
    const other = await lpctl(
      "target",
      "init",
      "--from-host",
      "--root",
      await hostRoot(debianNotes, { owner: "acme-kernel" }),
      "--repo",
      repo,
      "--cache",
      CACHE,
    );
    expect(other.code).toBe(1);
    expect(other.err).toMatch(
      /KERNEL_NOT_PACKAGED: .*belongs to acme-kernel, not to Debian's linux-image-6\.1\.0-57-cloud-amd64/,
    );
    expect(tree(repo)).toEqual([]);
  });

  it("a version the archive does not have: SOURCE_VERSION_UNAVAILABLE naming it and the way out", async () => {
    const repo = tmp("lpctl-init-repo-");
    const r = await lpctl(
      "target",
      "init",
      "--package",
      `${IMAGE}=6.1.192-9`,
      "--repo",
      repo,
      "--cache",
      CACHE,
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /SOURCE_VERSION_UNAVAILABLE: cannot register this kernel: linux-image-6\.1\.0-57-cloud-amd64 6\.1\.192-9 is not in the archive any more \(the configured apt sources have [^)]*6\.1\.192-3[^)]*\)\..*cache.*mirror.*docs\/operating-hosts\.md/,
    );
    expect(tree(repo)).toEqual([]);
  });

  describe("with Debian's packages seeded into a scratch cache", () => {
    const cache = tmp("lpctl-init-cache-");

    it("an image the cache has but whose headers, -dbg and source the archive does not: refused, nothing written", async () => {
      // The real image as version 6.1.192-9 in the cache: resolvable offline, but its -dbg, headers and source are not.
      await seedDeb(cache, IMAGE, imageDeb, "6.1.192-9");
      const repo = tmp("lpctl-init-repo-");
      const r = await lpctl(
        "target",
        "init",
        "--package",
        `${IMAGE}=6.1.192-9`,
        "--repo",
        repo,
        "--cache",
        cache,
      );
      expect(r.code).toBe(1);
      expect(r.err).toMatch(
        /SOURCE_VERSION_UNAVAILABLE: cannot register this kernel: linux-headers-6\.1\.0-57-cloud-amd64 6\.1\.192-9/,
      );
      expect(tree(repo)).toEqual([]);
    });

    it("an IBT kernel: KERNEL_UNPATCHABLE naming klp-build, nothing written", async () => {
      await seedDeb(
        cache,
        IMAGE,
        await doctoredImage((c) =>
          c.replace("# CONFIG_X86_KERNEL_IBT is not set", "CONFIG_X86_KERNEL_IBT=y"),
        ),
      );
      const repo = tmp("lpctl-init-repo-");
      const r = await lpctl(
        "target",
        "init",
        "--package",
        `${IMAGE}=${VERSION}`,
        "--repo",
        repo,
        "--cache",
        cache,
      );
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/KERNEL_UNPATCHABLE: .*CONFIG_X86_KERNEL_IBT=y.*klp-build/);
      expect(tree(repo)).toEqual([]);
      // Nothing of the unpacked image is left in the cache either.
      expect(readdirSync(cache).filter((n) => n.startsWith("."))).toEqual([]);
    });
  });
});
