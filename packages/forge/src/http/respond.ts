/** Writes a Reply: GitHub's JSON content type and headers, or a raw stream. */
import type { ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import type { Reply } from "./types.js";

export async function sendReply(res: ServerResponse, reply: Reply, head: boolean): Promise<void> {
  for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
  if (reply.stream) {
    res.statusCode = reply.status;
    if (head) {
      reply.stream.destroy();
      res.end();
      return;
    }
    await pipeline(reply.stream, res);
    return;
  }
  if (reply.body === undefined) {
    res.statusCode = reply.status;
    res.end();
    return;
  }
  const text = JSON.stringify(reply.body);
  res.statusCode = reply.status;
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.setHeader("Content-Length", Buffer.byteLength(text));
  res.end(head ? undefined : text);
}
