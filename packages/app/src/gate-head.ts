/**
 * The safety review check run sits on a head commit, and branch protection
 * reads it there for every pull request with that head. So the check may
 * only succeed when the gate holds for every open pull request sharing the
 * head: an approval given on a PR into `staging` must not open one into
 * `main`. Pure.
 */
import type { GateVerdict } from "./gate.js";

export interface HeadVerdict {
  ok: boolean;
  /** Pull requests whose gate does not hold, by number. */
  blocked: number[];
  title: string;
  summary: string;
  /** One section per pull request. */
  text: string;
}

/** The check run's verdict for a head shared by `verdicts` (one per open PR). */
export function combineGates(headSha: string, verdicts: readonly GateVerdict[]): HeadVerdict {
  const sorted = [...verdicts].sort((a, b) => a.pull - b.pull);
  if (sorted.length === 0)
    return {
      ok: false,
      blocked: [],
      title: "waiting for a safety review",
      summary: `No open pull request has ${headSha.slice(0, 7)} as its head.`,
      text: "",
    };
  const blocked = sorted.filter((v) => !v.ok).map((v) => v.pull);
  const ok = blocked.length === 0;
  const shared =
    sorted.length > 1
      ? `\n\n${String(sorted.length)} open pull requests share this head; the check passes only when each of them is approved.${ok ? "" : ` Blocked by ${blocked.map((n) => `#${String(n)}`).join(", ")}.`}`
      : "";
  return {
    ok,
    blocked,
    title: ok ? "approved" : "waiting for a safety review",
    summary: sorted.map((v) => v.summary).join("\n") + shared,
    text: sorted.map(section).join("\n\n"),
  };
}

function section(v: GateVerdict): string {
  const lines = [
    ...v.approvals.map((l) => `- approved by ${l} on the head commit`),
    ...v.blocking.map((l) => `- changes requested by ${l}`),
    ...v.ignored.map((i) => `- ${i.login}: not counted (${i.why})`),
  ];
  return [
    `#### #${String(v.pull)} into ${v.base}: ${v.ok ? "approved" : "not approved"}`,
    ...lines,
  ].join("\n");
}
