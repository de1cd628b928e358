/**
 * The demo's host: Debian's signed cloud vmlinuz booted in qemu with node,
 * the agent bundle and Debian's own virtio-net modules (the cloud kernel
 * builds them as modules), configured like a host that installed lpctl-agent. Its only
 * network is qemu's user network with restrict=on and one guestfwd, from
 * 10.0.2.100:80 to the forge's loopback port: the guest reaches the forge's
 * public release downloads and nothing else. The demo types `sync NAME` on
 * its console (what the systemd timer does on a real host) and reads back
 * what the agent printed.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { LpctlError } from "@livepatch-gitops/lpctl/core/errors";
import {
  nodeRuntimeFiles,
  startVmSession,
  type BootModule,
  type VmSession,
} from "@livepatch-gitops/lpctl/builder/vm/index";

export const GUEST_FORGE = "10.0.2.100";

const INIT = `
mkdir -p /var/lib/lpctl
ip link set lo up
ip link set eth0 up && ip addr add 10.0.2.15/24 dev eth0
lp_out boot-id "$(cat /proc/sys/kernel/random/boot_id)"
lp_out kernel-release "$(uname -r)"
lp_out kernel-version "$(cat /proc/version)"
lp_step ready ok
while read -r cmd name; do
  case "$cmd" in
    sync)
      out=$(lpctl sync 2>&1); rc=$?
      lp_out "$name-sync" "$out"
      lp_out "$name-status" "$(lpctl status 2>&1)"
      lp_out "$name-status-json" "$(lpctl status --json 2>/dev/null)"
      lp_out "$name-openvex" "$(lpctl status --format openvex 2>&1)"
      lp_out "$name-observed" "$(printf '/proc/cmdline: %s\\n/proc/version: %s\\n/proc/loadavg: %s\\n' "$(cat /proc/cmdline)" "$(cat /proc/version)" "$(cat /proc/loadavg)")"
      lp_out "$name-livepatch" "$(for d in /sys/kernel/livepatch/*; do [ -d "$d" ] && echo "\${d##*/} enabled=$(cat $d/enabled) transition=$(cat $d/transition)"; done)"
      lp_out "$name-boot-id" "$(cat /proc/sys/kernel/random/boot_id)"
      lp_out "$name-done" "$rc"
      ;;
    quit) break ;;
  esac
done
`;

export interface HostSync {
  exitCode: number;
  sync: string;
  status: string;
  statusJson: unknown;
  /** `lpctl status --format openvex`: the host's own statement, as printed. */
  openvex: string;
  observed: string;
  livepatch: string;
  bootId: string;
}

/** What the guest said about its kernel at boot, before any live patch. */
export interface HostKernel {
  release: string;
  version: string;
}

export interface Host {
  bootId: string;
  kernel: HostKernel;
  sync(name: string): Promise<HostSync>;
  stop(): Promise<void>;
  kill(): void;
}

export async function bootHost(o: {
  bzImage: string;
  /** Loaded before the network comes up (Debian's virtio_net and its dependencies). */
  modules?: readonly BootModule[];
  agentBundle: string;
  publicKey: string;
  forgePort: number;
  source: string;
  repository: string;
  /** The rollout ring the host is in (docs/operating-hosts.md, "Rings"). */
  ring?: string;
  onConsole?: (line: string) => void;
}): Promise<Host> {
  const config = [
    `# What a host's /etc/lpctl/config.yaml holds (docs/operating-hosts.md).`,
    `source: ${o.source}`,
    `repository: ${o.repository}`,
    ...(o.ring ? [`ring: ${o.ring}`] : []),
    "keys: [/etc/lpctl/keys/release.asc]",
    "transitionTimeout: 120",
    "",
  ].join("\n");
  const session: VmSession = await startVmSession({
    bzImage: o.bzImage,
    ...(o.modules && { modules: o.modules }),
    memoryMb: 1024,
    // The session's upper bound; the demo stops it as soon as it is done.
    timeoutMs: 60 * 60_000,
    forward: { guestAddr: GUEST_FORGE, guestPort: 80, hostPort: o.forgePort },
    files: [
      ...(await nodeRuntimeFiles()),
      { path: "/usr/lib/lpctl/lpctl-agent.cjs", content: await readFile(o.agentBundle, "utf8") },
      {
        path: "/bin/lpctl",
        content: '#!/bin/sh\nexec /usr/local/bin/node /usr/lib/lpctl/lpctl-agent.cjs "$@"\n',
        mode: 0o755,
      },
      { path: "/etc/lpctl/config.yaml", content: config },
      { path: "/etc/lpctl/keys/release.asc", content: o.publicKey },
    ],
    init: INIT,
    cleanup: false,
    ...(o.onConsole && { onLine: (l: { text: string }) => o.onConsole?.(l.text) }),
  });
  try {
    const bootId = (await session.output("boot-id", 180_000)).trim();
    const kernel = {
      release: (await session.output("kernel-release", 10_000)).trim(),
      version: (await session.output("kernel-version", 10_000)).trim(),
    };
    return {
      bootId,
      kernel,
      sync: async (name) => {
        session.send(`sync ${name}`);
        const code = await session.output(`${name}-done`, 300_000);
        const get = (k: string) => session.markers().outputs.get(`${name}-${k}`)?.text ?? "";
        let statusJson: unknown;
        try {
          statusJson = JSON.parse(get("status-json"));
        } catch {
          throw new LpctlError(
            "DEMO_FAILED",
            `lpctl status --json in the VM printed no JSON:\n${get("status")}\n${session.tail()}`,
          );
        }
        return {
          exitCode: Number(code.trim()),
          sync: get("sync"),
          status: get("status"),
          statusJson,
          openvex: get("openvex"),
          observed: get("observed"),
          livepatch: get("livepatch"),
          bootId: get("boot-id").trim(),
        };
      },
      stop: async () => {
        await session.stop();
      },
      kill: () => session.kill(),
    };
  } catch (e) {
    await session.stop();
    throw e;
  }
}

/** The agent bundle next to the build (`node packages/lpctl/scripts/build-agent-bundle.mjs`). */
export const agentBundlePath = (root: string) => join(root, "packages/lpctl/dist/lpctl-agent.cjs");
