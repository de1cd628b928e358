/**
 * The command line that runs one step in its job's sandbox. Pure: the
 * layout (sandbox.ts) in, argv out.
 *
 * Two stages, because Debian bookworm's bubblewrap (0.8.0) has no overlay
 * mounts: `unshare --mount` gives a private mount namespace in which a fixed
 * script (ours, never the job's) mounts the copy-on-write overlays, then
 * execs bwrap, which builds the job's view on top of them and drops the
 * capabilities that could undo it (CAP_SYS_ADMIN: no umount of a tmpfs that
 * hides a secret). The job keeps only what apt-get and dpkg need inside its
 * own copy of the root filesystem (switching to the `_apt` user, chown).
 */

/** One copy-on-write overlay: `lower` seen at `merged`, writes going to `upper`. */
export interface Overlay {
  lower: string;
  upper: string;
  work: string;
  merged: string;
}

export interface SandboxLayout {
  /** The host's root filesystem, copy-on-write: its merged dir becomes the job's `/`. */
  root: Overlay;
  /** Untrusted jobs: each shared cache's own overlay (merged dir bound at `lower`). */
  cacheOverlays: readonly Overlay[];
  /** Trusted jobs: shared caches bound writable in place. */
  writableCaches: readonly string[];
  /** Directories covered by an empty tmpfs. */
  hiddenDirs: readonly string[];
  /** Files covered by /dev/null. */
  hiddenFiles: readonly string[];
  /** The job's own directory (workspace, temp), writable. */
  jobDir: string;
  /** The run's event payload ($GITHUB_EVENT_PATH), read-only. */
  eventPath: string;
}

const MOUNT_SCRIPT = `set -e
mount -t overlay overlay -o "lowerdir=$1,upperdir=$2,workdir=$3" "$4"
shift 4
while [ "$1" != "--" ]; do
  mount -t overlay overlay -o "lowerdir=$1,upperdir=$2,workdir=$3" "$4"
  shift 4
done
shift
exec "$@"`;

/** What apt-get and dpkg need as root inside the job's own root filesystem; nothing that touches mounts. */
const CAPS = [
  "CAP_CHOWN",
  "CAP_DAC_OVERRIDE",
  "CAP_FOWNER",
  "CAP_FSETID",
  "CAP_SETUID",
  "CAP_SETGID",
];

const overlayArgs = (o: Overlay): string[] => [o.lower, o.upper, o.work, o.merged];

/** `unshare …` then `bwrap …` then `file args` in `cwd`. */
export function sandboxArgv(
  layout: SandboxLayout,
  file: string,
  args: readonly string[],
  cwd: string,
): { file: string; args: string[] } {
  const bwrap = [
    "bwrap",
    ["--bind", layout.root.merged, "/"],
    ["--dev", "/dev"],
    // The VM test's qemu uses KVM when the host has it; no other device node is there.
    ["--dev-bind-try", "/dev/kvm", "/dev/kvm"],
    ["--proc", "/proc"],
    ["--perms", "1777", "--tmpfs", "/tmp"],
    layout.hiddenDirs.flatMap((d) => ["--tmpfs", d]),
    layout.hiddenFiles.flatMap((f) => ["--ro-bind", "/dev/null", f]),
    // After the hiding: a cache or the job's directory inside a hidden one stays reachable.
    layout.writableCaches.flatMap((c) => ["--bind", c, c]),
    layout.cacheOverlays.flatMap((o) => ["--bind", o.merged, o.lower]),
    ["--bind", layout.jobDir, layout.jobDir],
    ["--ro-bind", layout.eventPath, layout.eventPath],
    ["--unshare-pid", "--unshare-ipc", "--unshare-uts", "--die-with-parent"],
    ["--cap-drop", "ALL", ...CAPS.flatMap((c) => ["--cap-add", c])],
    ["--chdir", cwd],
    "--",
    file,
    ...args,
  ].flat();
  return {
    file: "unshare",
    args: [
      "--mount",
      "--propagation",
      "private",
      "--",
      "sh",
      "-c",
      MOUNT_SCRIPT,
      "sh",
      ...overlayArgs(layout.root),
      ...layout.cacheOverlays.flatMap(overlayArgs),
      "--",
      ...bwrap,
    ],
  };
}
