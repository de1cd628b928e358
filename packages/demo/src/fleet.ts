/**
 * The fleet half of the demo: two hosts in two rings. The canary host gets
 * every release; the stable host runs what `.github/livepatch-rings.yml`
 * names and is moved on only by a reviewed pull request. A patch withdrawn
 * by another reviewed pull request leaves both hosts without a reboot, and
 * each host states what it is patched against for scanners (OpenVEX).
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { check, checkSynced, showSync } from "./checks.js";
import type { Host, HostSync } from "./host.js";
import { reviewedPullRequest, TARGET, type LoopContext } from "./pull-request.js";
import { RINGS_FILE, ringsYaml } from "./repository.js";
import type { StepHandle } from "./timeline.js";

/** The demo's patch that the withdrawal pull request takes back. */
const WITHDRAWN = "loadavg-banner";

export interface Fleet {
  canary: Host;
  stable: Host;
}

/** The name of the one live patch in a sync's /sys/kernel/livepatch listing. */
export function livePatch(s: HostSync): string {
  return s.livepatch.trim().split(" ")[0] ?? "";
}

/** Where the demo keeps a host's OpenVEX statement (the e2e test validates it against the schema). */
export const openVexFile = (run: string, host: string): string =>
  join(run, `${host}-host.openvex.json`);

/**
 * The host's own OpenVEX statement must parse and say `fixed` for each of
 * `cves`; it is kept in `file` as the host printed it.
 */
export async function checkOpenVex(
  h: StepHandle,
  s: HostSync,
  cves: readonly string[],
  file: string,
): Promise<void> {
  await writeFile(file, s.openvex);
  let doc: { statements?: { vulnerability?: { name?: string }; status?: string }[] };
  try {
    doc = JSON.parse(s.openvex) as typeof doc;
  } catch {
    check(false, `lpctl status --format openvex printed no JSON:\n${s.openvex}`);
    return;
  }
  const fixed = (doc.statements ?? [])
    .filter((st) => st.status === "fixed")
    .map((st) => st.vulnerability?.name ?? "");
  for (const cve of cves)
    check(fixed.includes(cve), `the host's OpenVEX statement does not list ${cve} as fixed`);
  h.note(`host$ lpctl status --format openvex: fixed ${fixed.join(", ")} (kept in ${file})`);
}

/** A sync that must leave `module` live and the patched files as before. */
async function syncHeld(h: StepHandle, host: Host, name: string, module: string) {
  const s = await host.sync(name);
  showSync(h, s);
  check(s.exitCode === 0, `lpctl sync exited ${String(s.exitCode)}:\n${s.sync}`);
  check(
    livePatch(s) === module,
    `${name}: the host runs ${livePatch(s) || "nothing"}, expected ${module}`,
  );
  return s;
}

/** After v2 reached the canary host: held from stable, promoted, then withdrawn from both. */
export async function fleetRollout(
  c: LoopContext,
  fleet: Fleet,
  modules: { v1: string; v2: string },
): Promise<void> {
  const { t } = c;
  const v2Module = modules.v2;
  await t.step("stable host syncs v2: held at release 1", async (h) => {
    const s = await syncHeld(h, fleet.stable, "v2", modules.v1);
    check(
      !/\/proc\/loadavg: .*livepatched/.test(s.observed),
      "the stable host shows v2's patch before its ring was promoted",
    );
    h.note(`the stable host still runs ${modules.v1}: its ring names release 1`);
  });

  await reviewedPullRequest(c, {
    branch: "promote-stable",
    author: "alice",
    change: async (wc) => {
      const file = join(wc, RINGS_FILE);
      const before = await readFile(file, "utf8");
      await writeFile(file, ringsYaml(2));
      check(before !== ringsYaml(2), "the rings file already names release 2");
    },
    message: "rings: promote release 2 to stable",
    title: "Promote v2 to the stable ring",
    body: "v2 has run on the canary host without trouble.",
    checks: ["livepatch / lint", "livepatch / policy", "livepatch / rings"],
    review: "Canary is healthy; promote.",
    release: "v3",
  });

  await t.step("stable host syncs v3: promoted to release 2's module, no reboot", async (h) => {
    const s = await fleet.stable.sync("v3");
    showSync(h, s);
    checkSynced(s, "v3", ["CVE-2026-10001", "CVE-2026-10002", "CVE-2026-10003"]);
    check(livePatch(s) === v2Module, `the stable host runs ${livePatch(s)}, not ${v2Module}`);
    check(/\/proc\/loadavg: .*livepatched/.test(s.observed), "/proc/loadavg is not patched");
    await checkOpenVex(
      h,
      s,
      ["CVE-2026-10001", "CVE-2026-10002", "CVE-2026-10003"],
      openVexFile(c.p.run, "stable"),
    );
  });

  await reviewedPullRequest(c, {
    branch: `withdraw-${WITHDRAWN}`,
    author: "bob",
    change: async (wc) => {
      const file = join(wc, "patches", WITHDRAWN, "patch.yaml");
      const text = await readFile(file, "utf8");
      await writeFile(
        file,
        `${text.trimEnd()}\nwithdrawn:\n  reason: breaks a monitoring agent that parses /proc/loadavg\n`,
      );
    },
    message: `patches: withdraw ${WITHDRAWN} (it breaks /proc/loadavg parsers)`,
    title: `Withdraw ${WITHDRAWN}`,
    body: "A monitoring agent fails to parse /proc/loadavg with the banner.",
    checks: ["livepatch / lint", "livepatch / policy", `livepatch / build (${TARGET})`],
    review: "Withdraw it.",
    release: "v4",
  });

  await t.step("both hosts sync v4: the withdrawn patch leaves both, no reboot", async (h) => {
    for (const [ring, host] of [
      ["canary", fleet.canary],
      ["stable", fleet.stable],
    ] as const) {
      const s = await host.sync(`v4-${ring}`);
      showSync(h, s);
      check(s.exitCode === 0, `${ring}: lpctl sync exited ${String(s.exitCode)}:\n${s.sync}`);
      check(
        !/\/proc\/loadavg: .*livepatched/.test(s.observed),
        `${ring}: /proc/loadavg still shows the withdrawn patch`,
      );
      check(livePatch(s) !== v2Module, `${ring}: ${v2Module} is still live`);
      check(/withdrawn/.test(s.status), `${ring}: lpctl status does not say what was withdrawn`);
      h.note(`${ring} host runs ${livePatch(s) || "no live patch"}; ${WITHDRAWN} withdrawn`);
    }
  });
}
