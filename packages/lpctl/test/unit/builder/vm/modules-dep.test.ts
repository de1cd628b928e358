/**
 * Which modules a guest loads, read from depmod's output for Debian's
 * cloud kernel (an excerpt of the modules.dep and modules.builtin that
 * depmod writes over linux-image-6.1.0-57-cloud-amd64 6.1.192-3's modules).
 */
import { execa } from "execa";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { composeInit } from "../../../../src/builder/vm/boot.js";
import { bootModuleFiles, bootModuleInit } from "../../../../src/builder/vm/boot-modules.js";
import {
  moduleLoadOrder,
  moduleNameOfPath,
  parseModulesDep,
} from "../../../../src/builder/vm/modules-dep.js";

const DIR = join(import.meta.dirname, "../../../fixtures/builder/modules");
const DEP = readFileSync(join(DIR, "debian-6.1.0-57-cloud-amd64.modules.dep"), "utf8");
const BUILTIN = readFileSync(join(DIR, "debian-6.1.0-57-cloud-amd64.modules.builtin"), "utf8");
const names = (paths: string[]) => paths.map(moduleNameOfPath);

describe("moduleLoadOrder", () => {
  it("loads virtio-net's transport and driver with every dependency first, each once", () => {
    const order = moduleLoadOrder(DEP, BUILTIN, ["virtio_pci", "virtio_net"], "k");
    expect(names(order)).toEqual([
      "virtio_ring",
      "virtio",
      "virtio_pci_modern_dev",
      "virtio_pci_legacy_dev",
      "virtio_pci",
      "failover",
      "net_failover",
      "virtio_net",
    ]);
    expect(order[0]).toBe("kernel/drivers/virtio/virtio_ring.ko");
    // Every module comes after everything modules.dep says it needs.
    const deps = parseModulesDep(DEP);
    order.forEach((m, i) => {
      for (const d of deps.get(m) ?? []) expect(order.indexOf(d)).toBeLessThan(i);
    });
  });

  it("needs nothing for a module built into the kernel, and reads - as _", () => {
    expect(moduleLoadOrder(DEP, BUILTIN, ["binfmt_script", "amd_uncore"], "k")).toEqual([]);
    expect(names(moduleLoadOrder(DEP, BUILTIN, ["virtio-ring"], "k"))).toEqual(["virtio_ring"]);
  });

  it("refuses a module the kernel has neither as a module nor built in", () => {
    expect(() => moduleLoadOrder(DEP, BUILTIN, ["e1000"], "linux-image-x 1")).toThrow(
      expect.objectContaining({
        code: "VM_INPUT_INVALID",
        message: expect.stringContaining(
          "kernel linux-image-x 1 has no module e1000, loadable or built in",
        ) as string,
      }),
    );
  });
});

describe("boot modules in /init", () => {
  const mods = [
    { name: "failover", source: "/x/failover.ko" },
    { name: "virtio_net", source: "/x/virtio_net.ko" },
  ];

  it("packs each .ko and loads them in order before the boot step, in valid busybox sh", async () => {
    expect(bootModuleFiles(mods).map((f) => f.path)).toEqual([
      "/lib/modules/boot/failover.ko",
      "/lib/modules/boot/virtio_net.ko",
    ]);
    const script = composeInit("ip link set eth0 up", mods);
    const at = (s: string) => script.indexOf(s);
    expect(at("insmod /lib/modules/boot/failover.ko")).toBeGreaterThan(0);
    expect(at("insmod /lib/modules/boot/failover.ko")).toBeLessThan(
      at("insmod /lib/modules/boot/virtio_net.ko"),
    );
    expect(at("insmod /lib/modules/boot/virtio_net.ko")).toBeLessThan(at("lp_step boot ok"));
    expect(at("lp_step boot ok")).toBeLessThan(at("ip link set eth0 up"));
    expect(bootModuleInit(mods)[1]).toContain('lp_step boot fail "insmod virtio_net: $err"');
    await expect(execa("/bin/busybox", ["sh", "-n"], { input: script })).resolves.toMatchObject({
      exitCode: 0,
    });
  });
});
