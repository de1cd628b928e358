/**
 * Debian's cloud kernel builds its virtio-net driver as a module: a guest
 * booting Debian's own vmlinuz has no eth0 until virtio_pci, virtio_net and
 * what they need, taken from the real image package, are loaded. With them
 * the guest reaches an HTTP server through qemu's guestfwd (the demo's host).
 */
import { createServer, type Server } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBuildInputs } from "../../../src/builder/build/build-inputs.js";
import { extractMembers } from "../../../src/builder/distro/distro-debs.js";
import { imageModules, NETWORK_MODULES } from "../../../src/builder/distro/image-modules.js";
import { execaRunner } from "../../../src/builder/runtime/runner.js";
import { startVmSession, type BootModule } from "../../../src/builder/vm/index.js";
import { CACHE, REPO } from "./helpers.js";
import { realDeb, RELEASE, TARGET } from "./distro-helpers.js";

const INIT = `
lp_out links "$(ls /sys/class/net)"
ip link set lo up
ip link set eth0 up && ip addr add 10.0.2.15/24 dev eth0
lp_out get "$(wget -q -O - http://10.0.2.100/ping 2>&1; echo "rc=$?")"
lp_out done yes
while read -r cmd; do [ "$cmd" = quit ] && break; done
`;

let dir = "";
let vmlinuz = "";
let server: Server;
let port = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "lpctl-image-modules-"));
  await extractMembers(execaRunner, await realDeb(`linux-image-${RELEASE}`), join(dir, "img"), [
    `./boot/vmlinuz-${RELEASE}`,
  ]);
  vmlinuz = join(dir, "img", "boot", `vmlinuz-${RELEASE}`);
  server = createServer((_req, res) => res.end("pong from the host\n"));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as { port: number }).port;
}, 300_000);

afterAll(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Boots Debian's vmlinuz with a virtio-net card forwarded to the server; returns what /init saw. */
async function boot(modules: readonly BootModule[]) {
  const vm = await startVmSession({
    bzImage: vmlinuz,
    init: INIT,
    modules,
    timeoutMs: 240_000,
    forward: { guestAddr: "10.0.2.100", guestPort: 80, hostPort: port },
  });
  try {
    await vm.output("done", 240_000);
    const out = vm.markers().outputs;
    return {
      boot: vm.markers().steps.find((s) => s.name === "boot"),
      links: out.get("links")?.text ?? "",
      get: out.get("get")?.text ?? "",
    };
  } finally {
    await vm.stop();
  }
}

describe("modules from a Debian image package", () => {
  it("gives Debian's own vmlinuz its network: virtio-net and its dependencies, in load order", async () => {
    const { target } = await loadBuildInputs(REPO, TARGET);
    const modules = await imageModules(
      { runner: execaRunner, cacheDir: CACHE, dir: join(dir, "mods") },
      target,
      NETWORK_MODULES,
    );
    expect(modules.map((m) => m.name)).toEqual([
      "virtio_ring",
      "virtio",
      "virtio_pci_modern_dev",
      "virtio_pci_legacy_dev",
      "virtio_pci",
      "failover",
      "net_failover",
      "virtio_net",
    ]);
    for (const m of modules) expect(m.source).toContain(`/lib/modules/${RELEASE}/kernel/`);

    const without = await boot([]);
    expect(without.links.split(/\s+/)).not.toContain("eth0");
    expect(without.get).not.toContain("pong");

    const withModules = await boot(modules);
    expect(withModules.boot).toMatchObject({ ok: true, detail: RELEASE });
    expect(withModules.links.split(/\s+/)).toContain("eth0");
    expect(withModules.get).toBe("pong from the host\nrc=0");
  }, 600_000);

  it("refuses a target that is not a distribution kernel", async () => {
    const { target } = await loadBuildInputs(REPO, "debian-6.1-lab");
    await expect(
      imageModules({ runner: execaRunner, cacheDir: CACHE, dir: join(dir, "lab") }, target, [
        "virtio_net",
      ]),
    ).rejects.toMatchObject({
      code: "VM_INPUT_INVALID",
      message: expect.stringContaining(
        "target debian-6.1-lab is not a distribution kernel",
      ) as string,
    });
  });
});
