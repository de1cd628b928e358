/**
 * Runs a command without a shell, for the agent (insmod/rmmod, `xz -dc`):
 * Node's own child_process, not a process library, loaded on first use: an
 * idle sync starts no command, and the agent bundle every run loads stays
 * small.
 */

/** What one command did. */
export interface FileRun {
  /** The exit status; null when it was killed or never started. */
  code: number | null;
  stdout: Buffer;
  stderr: Buffer;
  /** Why it never ran or was killed ("ENOENT": no such command), and the message. */
  failure?: { errno: string | undefined; message: string };
}

/** Runs `cmd args`, writing `input` to its stdin when given; never rejects. */
export async function runFile(
  cmd: string,
  args: readonly string[],
  input?: Uint8Array,
): Promise<FileRun> {
  const { execFile } = await import("node:child_process");
  return new Promise((resolve) => {
    const child = execFile(
      cmd,
      args,
      { encoding: "buffer", maxBuffer: 1 << 30 },
      (error, stdout, stderr) => {
        if (error === null) return resolve({ code: 0, stdout, stderr });
        // A number: the exit status; a string (ENOENT, EACCES): it never ran.
        const code = typeof error.code === "number" ? error.code : null;
        const errno = typeof error.code === "string" ? error.code : undefined;
        resolve({
          code,
          stdout,
          stderr,
          ...(code === null ? { failure: { errno, message: error.message } } : {}),
        });
      },
    );
    // A command that is missing or stops reading closes its stdin: the
    // outcome is in the callback, not in this stream's error.
    child.stdin?.on("error", () => undefined);
    child.stdin?.end(input);
  });
}
