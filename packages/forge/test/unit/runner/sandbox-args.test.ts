import { describe, expect, it } from "vitest";
import { sandboxArgv, type SandboxLayout } from "../../../src/runner/sandbox-args.js";

const overlay = (lower: string, dir: string) => ({
  lower,
  upper: `${dir}/upper`,
  work: `${dir}/work`,
  merged: `${dir}/merged`,
});

const layout: SandboxLayout = {
  root: overlay("/", "/d/runs/1/sandbox/1-build/root"),
  cacheOverlays: [overlay("/var/cache/lpctl", "/d/runs/1/sandbox/1-build/cache-0")],
  writableCaches: [],
  hiddenDirs: ["/d", "/srv/keys"],
  hiddenFiles: ["/etc/app.pem"],
  jobDir: "/d/runs/1/jobs/1-build",
  eventPath: "/d/runs/1/event.json",
};

const after = (argv: string[], a: string, b: string) => argv.indexOf(a) < argv.lastIndexOf(b);

describe("sandboxArgv", () => {
  const { file, args } = sandboxArgv(
    layout,
    "bash",
    ["-e", "/d/runs/1/jobs/1-build/temp/s.sh"],
    "/w",
  );

  it("mounts the overlays in a private mount namespace, then runs bwrap on them", () => {
    expect(file).toBe("unshare");
    expect(args.slice(0, 5)).toEqual(["--mount", "--propagation", "private", "--", "sh"]);
    const sep = args.indexOf("--", 5);
    const layers = (o: { lower: string; upper: string; work: string; merged: string }) => [
      o.lower,
      o.upper,
      o.work,
      o.merged,
    ];
    expect(args.slice(8, sep)).toEqual([
      ...layers(layout.root),
      ...layout.cacheOverlays.flatMap(layers),
    ]);
    expect(args[sep + 1]).toBe("bwrap");
    expect(args.slice(-3)).toEqual(["bash", "-e", "/d/runs/1/jobs/1-build/temp/s.sh"]);
  });

  it("hides before it binds, so the job's own directory inside the data directory stays reachable", () => {
    expect(after(args, "/d", layout.jobDir)).toBe(true);
    expect(after(args, "/tmp", layout.jobDir)).toBe(true);
    expect(args.join(" ")).toContain("--ro-bind /dev/null /etc/app.pem");
    // An untrusted job gets the cache's overlay, never the cache itself, at the cache's path.
    expect(args.join(" ")).toContain(
      "--bind /d/runs/1/sandbox/1-build/cache-0/merged /var/cache/lpctl",
    );
    expect(args.join(" ")).not.toContain("--bind /var/cache/lpctl /var/cache/lpctl");
  });

  it("drops every capability that could undo a mount", () => {
    const caps = args.flatMap((a, i) => (args[i - 1] === "--cap-add" ? [a] : []));
    expect(args).toContain("--cap-drop");
    expect(caps).not.toContain("CAP_SYS_ADMIN");
    expect(caps).not.toContain("ALL");
    expect(args[args.indexOf("--chdir") + 1]).toBe("/w");
  });

  it("binds a trusted job's caches writable in place", () => {
    const trusted = sandboxArgv(
      { ...layout, cacheOverlays: [], writableCaches: ["/var/cache/lpctl"] },
      "sh",
      [],
      "/w",
    );
    expect(trusted.args.join(" ")).toContain("--bind /var/cache/lpctl /var/cache/lpctl");
  });
});
