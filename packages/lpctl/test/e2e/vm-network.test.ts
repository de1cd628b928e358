/**
 * The host VM's network, for real: the lab kernel in qemu with a restricted
 * user network and one guestfwd (10.0.2.100:80 → a loopback HTTP server on
 * this machine). Several HTTP requests in a row go through (each guest
 * connection gets its own relay), and nothing else is reachable: not the
 * host's other loopback ports through the slirp gateway, not an outside
 * address even with a default route.
 */
import { createServer, type Server } from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBuildInputs } from "../../src/builder/build/build-inputs.js";
import { resolveCacheDir } from "../../src/builder/cache/cache-key.js";
import { systemClock } from "../../src/io/clock.js";
import { prepareKernel } from "../../src/builder/kernel/prepare.js";
import { execaRunner } from "../../src/builder/runtime/runner.js";
import { startVmSession, type VmSession } from "../../src/builder/vm/index.js";

const INIT = `
ip link set lo up
ip link set eth0 up && ip addr add 10.0.2.15/24 dev eth0 && ip route add default via 10.0.2.2
lp_out ready yes
while read -r cmd name arg; do
  case "$cmd" in
    get) lp_out "$name" "$(wget -q -O - "http://10.0.2.100$arg" 2>&1; echo "rc=$?")" ;;
    nc) lp_out "$name" "$(echo ping | nc -w 5 $arg 2>&1; echo "rc=$?")" ;;
  esac
done
`;

let server: Server;
let other: Server;
let otherHits = 0;
let otherPort = 0;
const seen: string[] = [];
let vm: VmSession | undefined;

async function listen(s: Server): Promise<number> {
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const a = s.address();
  if (a === null || typeof a === "string") throw new Error("no port");
  return a.port;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.url ?? "");
    res.end(`answer to ${req.url ?? ""}\n`);
  });
  other = createServer((_req, res) => {
    otherHits++;
    res.end("should not be reachable\n");
  });
  const port = await listen(server);
  otherPort = await listen(other);
  const { target } = await loadBuildInputs(path.resolve("."), "debian-6.1-lab");
  const prepared = await prepareKernel(target, {
    runner: execaRunner,
    clock: systemClock,
    print: (l) => process.stderr.write(`[vm-network] ${l}\n`),
    cacheDir: resolveCacheDir(undefined, process.env),
    repoDir: path.resolve("."),
    jobs: 2,
  });
  vm = await startVmSession({
    bzImage: path.join(prepared.dir, "pristine", "bzImage"),
    init: INIT,
    memoryMb: 256,
    timeoutMs: 600_000,
    forward: { guestAddr: "10.0.2.100", guestPort: 80, hostPort: port },
  });
  await vm.output("ready", 300_000);
}, 3_600_000);

afterAll(async () => {
  await vm?.stop();
  server?.close();
  other?.close();
});

describe("a host VM with one forwarded port", () => {
  it("reaches the forwarded loopback server, one connection after another", async () => {
    for (const n of [1, 2, 3]) {
      vm?.send(`get get${String(n)} /file-${String(n)}`);
      expect(await vm?.output(`get${String(n)}`, 60_000)).toBe(
        `answer to /file-${String(n)}\nrc=0`,
      );
    }
    expect(seen).toEqual(["/file-1", "/file-2", "/file-3"]);
  });

  it("reaches nothing else: not the host's other loopback ports, not the outside", async () => {
    vm?.send(`nc viaGateway 10.0.2.2:${String(otherPort)}`);
    vm?.send("nc outside 192.0.2.1:80");
    vm?.send(`nc otherGuestPort 10.0.2.100:${String(otherPort)}`);
    const gateway = (await vm?.output("viaGateway", 60_000)) ?? "";
    const outside = (await vm?.output("outside", 60_000)) ?? "";
    const otherGuest = (await vm?.output("otherGuestPort", 60_000)) ?? "";
    for (const r of [gateway, outside, otherGuest]) expect(r).toMatch(/rc=1$/);
    expect(otherHits).toBe(0);
  });
});
