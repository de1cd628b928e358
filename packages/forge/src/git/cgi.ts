/**
 * Runs `git http-backend` as a CGI program: request body streamed to its
 * stdin, its CGI header block parsed into the HTTP status and headers, the
 * rest of its stdout streamed back. Resolves when the program has exited;
 * the caller ends the response (after queuing what the push causes).
 */
import { spawn } from "node:child_process";
import type { IncomingMessage, ServerResponse } from "node:http";
import { GIT_ENV } from "./run-git.js";

function headerEnd(buf: Buffer): { at: number; len: number } | undefined {
  const crlf = buf.indexOf("\r\n\r\n");
  const lf = buf.indexOf("\n\n");
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { at: crlf, len: 4 };
  if (lf >= 0) return { at: lf, len: 2 };
  return undefined;
}

export function runCgi(
  env: Record<string, string>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn("git", ["http-backend"], {
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...GIT_ENV, ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let head = Buffer.alloc(0);
    let headersSent = false;
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    child.stdout.on("data", (chunk: Buffer) => {
      if (headersSent) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = headerEnd(head);
      if (!end) return;
      let status = 200;
      for (const line of head.subarray(0, end.at).toString("latin1").split(/\r?\n/)) {
        const colon = line.indexOf(":");
        if (colon < 0) continue;
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === "status") status = Number.parseInt(value, 10) || 200;
        else res.setHeader(name, value);
      }
      res.statusCode = status;
      headersSent = true;
      res.write(head.subarray(end.at + end.len));
    });
    child.stdin.on("error", () => undefined);
    req.pipe(child.stdin);
    child.on("close", (code) => {
      if (!headersSent) {
        res.statusCode = 500;
        res.setHeader("Content-Type", "text/plain");
        res.write(stderr || "git http-backend failed\n");
      }
      resolve(code ?? 1);
    });
  });
}
